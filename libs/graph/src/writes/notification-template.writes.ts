import { isPlainObject, withoutServerManaged } from '../contracts/strip-for-write.js';
import { canonicalJson } from './canonical-json.js';
import { changedBesides, createRequest, targetPath, updateRequest } from './default.writes.js';
import type { PlannedRequest, WriteStrategy } from './planned-request.js';

type GraphObject = Record<string, unknown>;

const MESSAGES = 'localizedNotificationMessages';

/** A template's localized messages, keyed by locale (one message per locale). */
function byLocale(object: GraphObject): Map<string, GraphObject> {
  const messages = new Map<string, GraphObject>();
  for (const message of Array.isArray(object[MESSAGES]) ? object[MESSAGES] : []) {
    if (isPlainObject(message) && typeof message.locale === 'string') messages.set(message.locale.toLowerCase(), message);
  }
  return messages;
}

const body = (message: GraphObject) => withoutServerManaged(message) as GraphObject;

function add(path: string, message: GraphObject): PlannedRequest {
  return { method: 'POST', path: `${path}/${MESSAGES}`, body: body(message), purpose: 'localized_messages' };
}

/**
 * Compliance notification message templates: the template is created or PATCHed on its own; each
 * localized message (one per locale) is written after it — `POST {template}/localizedNotificationMessages`
 * for a locale the live template lacks, PATCH by the live message's id for one that differs, DELETE for
 * a live locale the snapshot does not have.
 */
export const notificationTemplateWrites: WriteStrategy = {
  create: (input) => [createRequest(input), ...[...byLocale(input.snapshot).values()].map((message) => add(targetPath(input), message))],
  update: (input) => {
    const requests: PlannedRequest[] = [];
    if (changedBesides(input, [MESSAGES])) requests.push(updateRequest(input));
    if (!input.changed.has(MESSAGES)) return requests;
    const path = targetPath(input);
    const wanted = byLocale(input.snapshot);
    const live = byLocale(input.live);
    for (const [locale, message] of wanted) {
      const current = live.get(locale);
      if (!current || typeof current.id !== 'string') requests.push(add(path, message));
      else if (canonicalJson(body(current)) !== canonicalJson(body(message))) {
        const { locale: _locale, ...changes } = body(message);
        requests.push({ method: 'PATCH', path: `${path}/${MESSAGES}/${encodeURIComponent(current.id)}`, body: changes, purpose: 'localized_messages' });
      }
    }
    for (const [locale, message] of live) {
      if (!wanted.has(locale) && typeof message.id === 'string') requests.push({ method: 'DELETE', path: `${path}/${MESSAGES}/${encodeURIComponent(message.id)}`, body: null, purpose: 'localized_messages' });
    }
    return requests;
  },
};

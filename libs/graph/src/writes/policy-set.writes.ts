import { isPlainObject, withoutAnnotations } from '../contracts/strip-for-write.js';
import { changedBesides, createRequest, targetPath, updateRequest } from './default.writes.js';
import type { PlannedRequest, UpdateInput, WriteInput, WriteStrategy } from './planned-request.js';

type GraphObject = Record<string, unknown>;

/** What an item carries into `update`: its kind, its member and the member's deployment settings (the rest is Intune's). */
const ITEM_PROPERTIES = ['@odata.type', 'payloadId', 'intent', 'settings'] as const;

const items = (object: GraphObject): GraphObject[] => (Array.isArray(object.items) ? object.items.filter(isPlainObject) : []);

function itemBody(item: GraphObject): GraphObject {
  const body: GraphObject = {};
  for (const key of ITEM_PROPERTIES) if (item[key] !== undefined && item[key] !== null) body[key] = withoutAnnotations(item[key]);
  return body;
}

function update(path: string, body: { addedPolicySetItems: GraphObject[]; updatedPolicySetItems: GraphObject[]; deletedPolicySetItems: string[] }): PlannedRequest {
  return { method: 'POST', path: `${path}/update`, body, purpose: 'policy_set_items' };
}

/** The live items the snapshot's differ from, by member: added, updated (live id kept) and deleted. */
function itemChanges(input: UpdateInput): Parameters<typeof update>[1] {
  const live = new Map(items(input.live).map((item) => [String(item.payloadId), item]));
  const wanted = items(input.snapshot);
  const wantedIds = new Set(wanted.map((item) => String(item.payloadId)));
  return {
    addedPolicySetItems: wanted.filter((item) => !live.has(String(item.payloadId))).map(itemBody),
    updatedPolicySetItems: wanted.filter((item) => live.has(String(item.payloadId))).map((item) => ({ id: live.get(String(item.payloadId))!.id, ...itemBody(item) })),
    deletedPolicySetItems: [...live].filter(([payloadId]) => !wantedIds.has(payloadId)).flatMap(([, item]) => (typeof item.id === 'string' ? [item.id] : [])),
  };
}

/**
 * Policy sets: the set is created or PATCHed on its own (name, description, scope tags); its items (members
 * by `payloadId`, already mapped to the target tenant's ids) only through the set's `update` action —
 * `addedPolicySetItems`, `updatedPolicySetItems` by the live items' ids, `deletedPolicySetItems`.
 */
export const policySetWrites: WriteStrategy = {
  create: (input: WriteInput) => {
    const requests = [createRequest(input)];
    const added = items(input.snapshot).map(itemBody);
    if (added.length > 0) requests.push(update(targetPath(input), { addedPolicySetItems: added, updatedPolicySetItems: [], deletedPolicySetItems: [] }));
    return requests;
  },
  update: (input) => {
    const requests: PlannedRequest[] = [];
    if (changedBesides(input, ['items'])) requests.push(updateRequest(input));
    if (input.changed.has('items')) requests.push(update(targetPath(input), itemChanges(input)));
    return requests;
  },
};

import { withoutAnnotations, withoutServerManaged } from '../contracts/strip-for-write.js';
import { changedBesides, targetPath } from './default.writes.js';
import { UnwritableSnapshotError, versionPath, type PlannedRequest, type WriteStrategy } from './planned-request.js';

type GraphObject = Record<string, unknown>;

/** The only intent properties Graph takes on create and PATCH (settings go through their own actions). */
const INTENT_PROPERTIES = ['displayName', 'description', 'roleScopeTagIds'] as const;

function intentProperties(snapshot: GraphObject): GraphObject {
  const body: GraphObject = {};
  for (const key of INTENT_PROPERTIES) if (snapshot[key] !== undefined) body[key] = withoutAnnotations(snapshot[key]);
  return body;
}

/** Setting instances as Graph takes them back: `@odata.type`, `definitionId`, `valueJson` (no server ids). */
function settingInstances(snapshot: GraphObject): unknown[] {
  return Array.isArray(snapshot.settings) ? (withoutServerManaged(snapshot.settings) as unknown[]) : [];
}

/**
 * Endpoint-security intents: created from their template (`templates/{templateId}/createInstance`
 * with the settings as `settingsDelta`; a POST to `intents` is refused), updated with a PATCH of
 * name, description and scope tags plus `updateSettings`.
 */
export const intentWrites: WriteStrategy = {
  create: ({ contract, snapshot }) => {
    if (typeof snapshot.templateId !== 'string' || snapshot.templateId === '') throw new UnwritableSnapshotError('intent_template_missing');
    return [
      {
        method: 'POST',
        path: versionPath(contract, `/deviceManagement/templates/${encodeURIComponent(snapshot.templateId)}/createInstance`),
        body: { ...intentProperties(snapshot), settingsDelta: settingInstances(snapshot) },
        purpose: 'create',
      },
    ];
  },
  update: (input) => {
    const requests: PlannedRequest[] = [];
    if (changedBesides(input, ['settings'])) requests.push({ method: 'PATCH', path: targetPath(input), body: intentProperties(input.snapshot), purpose: 'update' });
    if (input.changed.has('settings')) {
      requests.push({ method: 'POST', path: `${targetPath(input)}/updateSettings`, body: { settings: settingInstances(input.snapshot) }, purpose: 'settings' });
    }
    return requests;
  },
};

import { isPlainObject, stripWithContract, withoutAnnotations } from '../contracts/strip-for-write.js';
import { changedBesides, createRequest, targetPath, updateRequest } from './default.writes.js';
import type { PlannedRequest, UpdateInput, WriteInput, WriteStrategy } from './planned-request.js';

type GraphObject = Record<string, unknown>;

/** `targetApps` body: each app by its identifier, with the policy's app group. */
function targetApps(input: WriteInput | UpdateInput, path: string): PlannedRequest {
  const apps = (Array.isArray(input.snapshot.apps) ? input.snapshot.apps : []).filter(isPlainObject).map((app: GraphObject) => ({ mobileAppIdentifier: withoutAnnotations(app.mobileAppIdentifier) }));
  const body: GraphObject = { apps };
  if (input.snapshot.appGroupType !== undefined) body.appGroupType = input.snapshot.appGroupType;
  return { method: 'POST', path: `${path}/targetApps`, body, purpose: 'target_apps' };
}

const hasApps = (snapshot: GraphObject) => (Array.isArray(snapshot.apps) && snapshot.apps.length > 0) || snapshot.appGroupType !== undefined;

/**
 * App protection (iOS, Android, Windows): created and PATCHed in the platform collection named by
 * `@odata.type` (every configuration property kept, `targetedAppManagementLevels` included); apps
 * through `targetApps` (`appGroupType` goes with them).
 */
export const appProtectionWrites: WriteStrategy = {
  create: (input) => {
    const requests = [createRequest(input)];
    if (hasApps(input.snapshot)) requests.push(targetApps(input, targetPath(input)));
    return requests;
  },
  update: (input) => {
    const requests: PlannedRequest[] = [];
    if (changedBesides(input, ['apps'])) requests.push(updateRequest(input, stripWithContract(input.contract, input.snapshot, 'update')));
    if (input.changed.has('apps') || input.changed.has('appGroupType')) requests.push(targetApps(input, targetPath(input)));
    return requests;
  },
};

import { createPathFor, objectPathFor } from '../contracts/policy-type-contracts.js';
import { stripWithContract } from '../contracts/strip-for-write.js';
import { CREATED_ID, UnwritableSnapshotError, versionPath, type PlannedRequest, type UpdateInput, type WriteInput, type WriteStrategy } from './planned-request.js';

/** `POST {collection}` with the stripped body (typed collections by `@odata.type`). */
export function createRequest(input: WriteInput): PlannedRequest {
  const body = stripWithContract(input.contract, input.snapshot, 'create');
  return { method: input.contract.createMethod, path: versionPath(input.contract, createPathFor(input.contract, body)), body, purpose: 'create' };
}

/** The object's own update (PATCH, or PUT where the registry says), body stripped for an update. */
export function updateRequest(input: UpdateInput, body = stripWithContract(input.contract, input.snapshot, 'update')): PlannedRequest {
  return { method: input.contract.updateMethod, path: objectPathFor(input.contract, input.live, input.liveId), body, purpose: 'update' };
}

/** The path of the object a sequence writes: the live one, or the one its create makes. */
export function targetPath(input: WriteInput | UpdateInput): string {
  if ('liveId' in input) return objectPathFor(input.contract, input.live, input.liveId);
  return objectPathFor(input.contract, input.snapshot, CREATED_ID).replace(encodeURIComponent(CREATED_ID), CREATED_ID);
}

/** True when something besides the given relations/properties changed (the object's own PATCH is needed). */
export function changedBesides(input: UpdateInput, handledElsewhere: readonly string[]): boolean {
  return [...input.changed].some((key) => !handledElsewhere.includes(key));
}

/** Every type without special endpoints: one create, or one update of the whole body. */
export const defaultWrites: WriteStrategy = {
  create: (input) => [createRequest(input)],
  update: (input) => (input.changed.size > 0 ? [updateRequest(input)] : []),
};

/**
 * Types whose objects a restore never writes, only their assignments (applications): no create (the item is
 * skipped with `app_not_in_tenant`), no update of the object itself.
 */
export const assignmentsOnlyWrites: WriteStrategy = {
  create: () => {
    throw new UnwritableSnapshotError('app_not_in_tenant');
  },
  update: () => [],
};

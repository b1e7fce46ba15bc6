import type { FieldDifference } from '@policyvault/contracts';
import type { PolicyTypeContract } from '../contracts/policy-type-contract.js';
import { splitAssignments } from '../writes/assignment.writes.js';
import { comparableAssignments, comparableObject } from './comparable-object.js';
import { withoutServerManaged } from '../contracts/strip-for-write.js';
import { diffFields } from './field-diff.js';
import { NO_SECRET_VALUES, withSecretMarkers, type SecretComparison } from './secret-markers.js';

type GraphObject = Record<string, unknown>;

/**
 * The field-level differences between two states of one object, as previews, drift reports and
 * version compares show them: both sides normalized (`comparableObject`), secret values as markers
 * (`secrets` says which are the same), then compared field by field. `current` is the newer state
 * (the live object, or the later version), shown as `live`; `reference` the backed-up or earlier one,
 * shown as `snapshot`.
 */
export function compareObjects(contract: PolicyTypeContract, current: GraphObject, reference: GraphObject, secrets: SecretComparison = NO_SECRET_VALUES): FieldDifference[] {
  return diffFields(withSecretMarkers(comparableObject(contract, current), secrets, 'live'), withSecretMarkers(comparableObject(contract, reference), secrets, 'snapshot'));
}

/**
 * The direct assignments of two states of one object in the same tenant (no mapping), as one
 * `assignments` difference when they differ as sets, or none. Inherited (policy set) assignments are
 * left out: they belong to the set.
 */
export function compareDirectAssignments(current: GraphObject, reference: GraphObject): FieldDifference[] {
  const now = splitAssignments(current.assignments).direct;
  const before = splitAssignments(reference.assignments).direct;
  const nowKeys = comparableAssignments(now);
  const beforeKeys = comparableAssignments(before);
  const same = nowKeys.length === beforeKeys.length && nowKeys.every((key, index) => key === beforeKeys[index]);
  return same ? [] : [{ path: 'assignments', live: withoutServerManaged(now), snapshot: withoutServerManaged(before) }];
}

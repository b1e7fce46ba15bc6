import { stripWithContract, withoutServerManaged } from '../contracts/strip-for-write.js';
import type { PolicyTypeContract } from '../contracts/policy-type-contract.js';
import { assignmentKey } from '../writes/assignment.writes.js';
import { inStableOrder } from './stable-order.js';

type GraphObject = Record<string, unknown>;

/**
 * What a restore can and should make equal, for comparing two states of one object (live and backed
 * up, or two stored versions): the create body (ids, timestamps, `version`, annotations and read-only
 * or type-specific server properties stripped, inline relations such as settings included), the
 * relations written through their own requests (definition values, intent settings, app protection
 * apps) and the properties restored through an action (enrollment priority), without server ids, with
 * every array whose order carries no meaning in a stable order (`inStableOrder`). Assignments are
 * compared on their own (`comparableAssignments`; a restore maps them to the target tenant first).
 */
export function comparableObject(contract: PolicyTypeContract, object: GraphObject): GraphObject {
  const ordered = inStableOrder(object);
  const comparable = stripWithContract(contract, ordered, 'create');
  for (const sub of contract.subResources) {
    if (sub.write === 'separate' && sub.name !== 'assignments' && Array.isArray(ordered[sub.name])) {
      comparable[sub.name] = withoutServerManaged(ordered[sub.name]);
    }
  }
  for (const key of contract.comparedReadOnly ?? []) if (ordered[key] !== undefined) comparable[key] = ordered[key];
  return comparable;
}

/** Assignments reduced to what they mean (target and settings), in a stable order, for comparing sets. */
export function comparableAssignments(assignments: GraphObject[]): string[] {
  return assignments.map(assignmentKey).sort();
}

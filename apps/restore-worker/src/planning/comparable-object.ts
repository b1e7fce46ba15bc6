import { assignmentKey, stripWithContract, withoutServerManaged, type PolicyTypeContract } from '@policyvault/graph';

export { withoutServerManaged } from '@policyvault/graph';

type GraphObject = Record<string, unknown>;

/**
 * What a restore can and should make equal, for comparing a live object with its snapshot: the create
 * body (read-only and type-specific server properties stripped, inline relations such as settings
 * included), the relations written through their own requests (definition values, intent settings,
 * app protection apps) and the properties restored through an action (enrollment priority), without
 * server ids. Assignments are compared on their own (they are mapped to the target tenant first).
 */
export function comparableObject(contract: PolicyTypeContract, object: GraphObject): GraphObject {
  const comparable = stripWithContract(contract, object, 'create');
  for (const sub of contract.subResources) {
    if (sub.write === 'separate' && sub.name !== 'assignments' && Array.isArray(object[sub.name])) {
      comparable[sub.name] = withoutServerManaged(object[sub.name]);
    }
  }
  for (const key of contract.comparedReadOnly ?? []) if (object[key] !== undefined) comparable[key] = object[key];
  return comparable;
}

/** Assignments reduced to what they mean (target and settings), in a stable order, for comparing sets. */
export function comparableAssignments(assignments: GraphObject[]): string[] {
  return assignments.map(assignmentKey).sort();
}

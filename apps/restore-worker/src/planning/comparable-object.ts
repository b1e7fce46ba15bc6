import { COMMON_READ_ONLY_PROPERTIES, isReadOnlyAnnotation, stripWithContract, type PolicyTypeContract } from '@policyvault/graph';

type GraphObject = Record<string, unknown>;

const isPlainObject = (value: unknown): value is GraphObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Removes server-managed keys (ids, timestamps, versions, OData annotations) at every depth. */
export function withoutServerManaged(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutServerManaged);
  if (!isPlainObject(value)) return value;
  const result: GraphObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (COMMON_READ_ONLY_PROPERTIES.includes(key) || isReadOnlyAnnotation(key)) continue;
    result[key] = withoutServerManaged(child);
  }
  return result;
}

/**
 * What a restore can and should make equal, for comparing a live object with its snapshot: the write
 * body (read-only and type-specific server properties stripped, inline relations such as settings
 * included) plus the relations written separately (definition values), without their server ids.
 * Assignments are compared on their own (they are mapped to the target tenant first).
 */
export function comparableObject(contract: PolicyTypeContract, object: GraphObject): GraphObject {
  const comparable = stripWithContract(contract, object);
  for (const sub of contract.subResources) {
    if (sub.write === 'separate' && sub.name !== 'assignments' && Array.isArray(object[sub.name])) {
      comparable[sub.name] = withoutServerManaged(object[sub.name]);
    }
  }
  return comparable;
}

/** The write body of a snapshot: what a create or an update sends (registry rules, never mutated). */
export function writeBody(contract: PolicyTypeContract, snapshot: GraphObject): GraphObject {
  return stripWithContract(contract, snapshot);
}

/** Assignments reduced to what they mean (target and settings), in a stable order, for comparing sets. */
export function comparableAssignments(assignments: unknown): string[] {
  if (!Array.isArray(assignments)) return [];
  return assignments
    .filter(isPlainObject)
    .map((assignment) => canonicalJson(withoutServerManaged(assignment)))
    .sort();
}

/** JSON with object keys sorted (stable across Graph's property order). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}

import { COMMON_READ_ONLY_PROPERTIES, isActionEntry, isPlainObject, isReadOnlyAnnotation, stripWithContract } from '../contracts/strip-for-write.js';
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
      comparable[sub.name] = withoutServerManagedBut(ordered[sub.name], undefined);
    }
    // A single-valued relation (a role assignment's role definition) is what it points at.
    const single = ordered[sub.name];
    if (sub.write === 'separate' && isPlainObject(single) && typeof single.id === 'string') comparable[sub.name] = { id: single.id };
  }
  for (const key of contract.comparedReadOnly ?? []) if (ordered[key] !== undefined) comparable[key] = ordered[key];
  return comparable;
}

/** References to Microsoft's global templates: their ids mean the same in every tenant and name a definition value. */
const TEMPLATE_REFERENCES: ReadonlySet<string> = new Set(['definition', 'presentation']);

/** `withoutServerManaged` keeping the ids of template references (the stable key of definition and presentation values). */
function withoutServerManagedBut(value: unknown, parent: string | undefined): unknown {
  if (Array.isArray(value)) return value.map((entry) => withoutServerManagedBut(entry, undefined));
  if (!isPlainObject(value)) return value;
  const result: GraphObject = {};
  for (const [key, child] of Object.entries(value)) {
    const templateId = key === 'id' && parent !== undefined && TEMPLATE_REFERENCES.has(parent);
    if (!templateId && (COMMON_READ_ONLY_PROPERTIES.includes(key) || isReadOnlyAnnotation(key) || isActionEntry(key))) continue;
    result[key] = withoutServerManagedBut(child, key);
  }
  return result;
}

/** Assignments reduced to what they mean (target and settings), in a stable order, for comparing sets. */
export function comparableAssignments(assignments: GraphObject[]): string[] {
  return assignments.map(assignmentKey).sort();
}

import { isPlainObject, withoutServerManaged } from '../contracts/strip-for-write.js';
import type { PolicyTypeContract } from '../contracts/policy-type-contract.js';
import { canonicalJson } from './canonical-json.js';
import type { PlannedRequest } from './planned-request.js';

type GraphObject = Record<string, unknown>;

/**
 * Assignments inherited from a policy set (`source: 'policySets'`, or a `sourceId` naming the set)
 * belong to the set: a restore never writes them.
 */
export function isInheritedAssignment(assignment: GraphObject): boolean {
  if (assignment.source === 'policySets') return true;
  return assignment.source !== 'direct' && typeof assignment.sourceId === 'string' && assignment.sourceId !== '';
}

/** Direct assignments (restored) apart from inherited ones (reported, never written). */
export function splitAssignments(assignments: unknown): { direct: GraphObject[]; inherited: GraphObject[] } {
  const direct: GraphObject[] = [];
  const inherited: GraphObject[] = [];
  for (const assignment of Array.isArray(assignments) ? assignments : []) {
    if (isPlainObject(assignment)) (isInheritedAssignment(assignment) ? inherited : direct).push(assignment);
  }
  return { direct, inherited };
}

/** An assignment reduced to what it means (target and settings), for comparing sets. */
export function assignmentKey(assignment: GraphObject): string {
  const { source: _source, sourceId: _sourceId, ...meaning } = withoutServerManaged(assignment) as GraphObject;
  return canonicalJson(meaning);
}

/**
 * The requests giving an object exactly the `wanted` direct assignments. `/assign` types (and policy sets'
 * `/update`) send the whole set at once (Graph replaces it). `/assignments` types (Autopilot) take one per call: live assignments
 * not wanted are removed with DELETE, wanted ones not live are added.
 */
export function assignmentRequests(contract: PolicyTypeContract, objectPath: string, wanted: GraphObject[], live: GraphObject[] = []): PlannedRequest[] {
  if (!contract.assignment) return [];
  const body = (assignment: GraphObject) => withoutServerManaged(assignment) as GraphObject;
  if (contract.assignment.segment === '/assign' || contract.assignment.segment === '/update') {
    return [{ method: 'POST', path: `${objectPath}${contract.assignment.segment}`, body: { [contract.assignment.bodyProperty]: wanted.map(body) }, purpose: 'assign' }];
  }
  const property = contract.assignment.bodyProperty;
  const liveKeys = new Map(live.map((assignment) => [assignmentKey(assignment), assignment]));
  const wantedKeys = new Set(wanted.map(assignmentKey));
  const removals = [...liveKeys]
    .filter(([key, assignment]) => !wantedKeys.has(key) && typeof assignment.id === 'string')
    .map(([, assignment]): PlannedRequest => ({ method: 'DELETE', path: `${objectPath}/assignments/${encodeURIComponent(String(assignment.id))}`, body: null, purpose: 'unassign' }));
  const additions = wanted
    .filter((assignment) => !liveKeys.has(assignmentKey(assignment)))
    .map((assignment): PlannedRequest => ({ method: 'POST', path: `${objectPath}/assignments`, body: { [property]: body(assignment)[property] }, purpose: 'assign' }));
  return [...removals, ...additions];
}

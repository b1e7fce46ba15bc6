import type { FieldDifference, RestoreAction, SafeError } from '@policyvault/contracts';
import { createPathFor, type PolicyTypeContract } from '@policyvault/graph';
import type { MappedAssignments, UnmappedReference } from './assignment-mapper.js';
import { comparableAssignments, comparableObject, withoutServerManaged, writeBody } from './comparable-object.js';
import { diffFields } from './field-diff.js';
import type { LiveLookup } from './live-tenant.js';
import { NO_SECRET_VALUES, withSecretMarkers, type SecretComparison } from './secret-values.js';

type GraphObject = Record<string, unknown>;

export interface PlannedRequest {
  method: 'POST' | 'PATCH' | 'PUT';
  path: string;
  body: Record<string, unknown>;
}

/** One backup item to restore, as the backup store hands it over. */
export interface RestoreCandidate {
  backupItemId: string;
  policyType: string;
  /** The object's id in the tenant it was captured from. */
  graphId: string;
  displayName: string;
  snapshot: GraphObject;
}

export interface AssignmentPlan extends MappedAssignments {
  /** The live assignments differ from the mapped snapshot ones. */
  changed: boolean;
}

/** What a restore of one item does to the tenant now; previews store it, restores carry it out. */
export interface RestorePlan {
  candidate: RestoreCandidate;
  contract: PolicyTypeContract | null;
  action: RestoreAction;
  matchedBy: 'id' | 'name' | null;
  liveId: string | null;
  /** The object write (create or update), when the object itself must change. */
  objectRequest: PlannedRequest | null;
  /** Set when the restore includes assignments and the type has them. */
  assignments: AssignmentPlan | null;
  differences: FieldDifference[];
  reason: string | null;
  /** The live object could not be read: the item fails with this error. */
  error: SafeError | null;
}

const UNSUPPORTED_REASON = 'unsupported_policy_type';

export function unsupportedPlan(candidate: RestoreCandidate): RestorePlan {
  return { candidate, contract: null, action: 'skipped', matchedBy: null, liveId: null, objectRequest: null, assignments: null, differences: [], reason: UNSUPPORTED_REASON, error: null };
}

export function failedPlan(candidate: RestoreCandidate, contract: PolicyTypeContract, error: SafeError): RestorePlan {
  return { candidate, contract, action: 'skipped', matchedBy: null, liveId: null, objectRequest: null, assignments: null, differences: [], reason: error.code, error };
}

const versionPrefix = (contract: PolicyTypeContract) => `/${contract.apiVersion}`;

/**
 * Decides create / update / no_change for one item against what the tenant holds now, with the exact
 * request (read-only properties stripped per the registry) and the field-level differences.
 */
export function planRestore(candidate: RestoreCandidate, contract: PolicyTypeContract, lookup: Exclude<LiveLookup, { kind: 'failed' }>, mapped: MappedAssignments | null, secrets: SecretComparison = NO_SECRET_VALUES): RestorePlan {
  const body = writeBody(contract, candidate.snapshot);
  const base = { candidate, contract, reason: null, error: null };
  if (lookup.kind === 'missing') {
    return {
      ...base,
      action: 'create',
      matchedBy: null,
      liveId: null,
      objectRequest: { method: contract.createMethod, path: `${versionPrefix(contract)}${createPathFor(contract, body)}`, body },
      assignments: mapped ? { ...mapped, changed: mapped.mapped.length > 0 } : null,
      differences: [],
    };
  }
  const differences = diffFields(withSecretMarkers(comparableObject(contract, lookup.live), secrets, 'live'), withSecretMarkers(comparableObject(contract, candidate.snapshot), secrets, 'snapshot'));
  const objectChanged = differences.length > 0;
  let assignments: AssignmentPlan | null = null;
  if (mapped) {
    const live = comparableAssignments(lookup.live.assignments);
    const wanted = comparableAssignments(mapped.mapped);
    const changed = live.length !== wanted.length || live.some((value, index) => value !== wanted[index]);
    assignments = { ...mapped, changed };
    if (changed) {
      differences.push({ path: 'assignments', live: withoutServerManaged(lookup.live.assignments ?? []), snapshot: mapped.mapped });
    }
  }
  const writesAssignments = Boolean(assignments?.changed && !assignments.blocked);
  return {
    ...base,
    action: objectChanged || writesAssignments ? 'update' : 'no_change',
    matchedBy: lookup.matchedBy,
    liveId: lookup.liveId,
    objectRequest: objectChanged
      ? { method: contract.updateMethod, path: `${versionPrefix(contract)}${contract.collectionPath}/${encodeURIComponent(lookup.liveId)}`, body }
      : null,
    assignments,
    differences,
    reason: assignments?.changed && assignments.blocked ? 'assignments_not_mappable' : null,
  };
}

/** The assignment write for an object (whole set through `/assign`, or one `/assignments` POST each). */
export function assignmentRequests(contract: PolicyTypeContract, objectId: string, assignments: GraphObject[]): PlannedRequest[] {
  if (!contract.assignment) return [];
  const base = `${versionPrefix(contract)}${contract.collectionPath}/${encodeURIComponent(objectId)}`;
  if (contract.assignment.segment === '/assign') {
    return [{ method: 'POST', path: `${base}/assign`, body: { [contract.assignment.bodyProperty]: assignments } }];
  }
  return assignments.map((assignment) => ({ method: 'POST' as const, path: `${base}/assignments`, body: { [contract.assignment!.bodyProperty]: assignment.target } }));
}

/** The request a preview shows: the object write, or the assignment write when only assignments change. */
export function primaryRequest(plan: RestorePlan): PlannedRequest | null {
  if (plan.objectRequest) return plan.objectRequest;
  if (plan.action === 'update' && plan.contract && plan.liveId && plan.assignments) {
    return assignmentRequests(plan.contract, plan.liveId, plan.assignments.mapped)[0] ?? null;
  }
  return null;
}

export function unmappedSummary(unmapped: UnmappedReference[]): Array<{ kind: string; id: string; reason: string }> {
  return unmapped.map(({ kind, id, reason }) => ({ kind, id, reason }));
}

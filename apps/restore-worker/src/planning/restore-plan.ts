import type { FieldDifference, RestoreAction, SafeError } from '@policyvault/contracts';
import {
  NO_SECRET_VALUES,
  UnwritableSnapshotError,
  assignmentRequests,
  comparableAssignments,
  compareObjects,
  isBuiltInObject,
  isUpdateOnlyObject,
  objectPathFor,
  splitAssignments,
  targetPath,
  writeStrategyFor,
  withoutServerManaged,
  type PlannedRequest,
  type PolicyTypeContract,
  type SecretComparison,
  type WriteInput,
} from '@policyvault/graph';
import type { MappedAssignments, UnmappedReference } from './assignment-mapper.js';
import type { LiveLookup } from './live-tenant.js';

export type { PlannedRequest } from '@policyvault/graph';

type GraphObject = Record<string, unknown>;

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
  /** The live direct assignments differ from the mapped snapshot ones. */
  changed: boolean;
  /** Assignments the snapshot had through policy sets: never restored, reported in the item's result. */
  inherited: number;
}

/** The Graph a plan's requests go to (binds are built from its base URL). */
export interface WriteTarget {
  graphBaseUrl: string;
}

/** What a restore of one item does to the tenant now; previews store it, restores carry it out. */
export interface RestorePlan {
  candidate: RestoreCandidate;
  contract: PolicyTypeContract | null;
  action: RestoreAction;
  matchedBy: 'id' | 'name' | null;
  liveId: string | null;
  /**
   * Every request a restore of the item sends, in order: the object's create or update sequence (per
   * type, `libs/graph` write strategies), then its assignments. After a `create`, paths hold
   * `{createdId}` for the new object's id. Empty for `no_change` and `skipped`.
   */
  requests: PlannedRequest[];
  /** Set when the restore includes assignments and the type has them. */
  assignments: AssignmentPlan | null;
  differences: FieldDifference[];
  /** Why nothing is written: `unsupported_policy_type`, `built_in`, `assignments_not_mappable`, an unwritable snapshot… */
  reason: string | null;
  /** The live object could not be read: the item fails with this error. */
  error: SafeError | null;
}

export const UNSUPPORTED_REASON = 'unsupported_policy_type';
/** Graph refused to list the type in the target tenant (403): the app lacks a permission it needs there. */
export const MISSING_PERMISSIONS_REASON = 'missing_permissions';
/** Tenant-wide settings in a run whose scope (and confirmation) did not include them. */
export const TENANT_SETTINGS_REASON = 'tenant_settings_not_confirmed';
/** Intune's own objects (default enrollment configurations, built-in scope tags, global scripts). */
export const BUILT_IN_REASON = 'built_in';
/** An application (assignments only) with no live app of its id, name, bundle or package id: never created. */
export const APP_NOT_IN_TENANT_REASON = 'app_not_in_tenant';

const nothing = { matchedBy: null, liveId: null, requests: [], assignments: null, differences: [], error: null };

export function unsupportedPlan(candidate: RestoreCandidate): RestorePlan {
  return { ...nothing, candidate, contract: null, action: 'skipped', reason: UNSUPPORTED_REASON };
}

/** An item of a type the restore does not write (backup-only, or unconfirmed tenant settings): skipped with `reason`. */
export function notWrittenPlan(candidate: RestoreCandidate, contract: PolicyTypeContract, reason: string): RestorePlan {
  return { ...nothing, candidate, contract, action: 'skipped', reason };
}

export function failedPlan(candidate: RestoreCandidate, contract: PolicyTypeContract, error: SafeError): RestorePlan {
  return { ...nothing, candidate, contract, action: 'skipped', reason: error.code, error };
}

/** Top-level properties (or relations) named by the differences: `settings[3].value` → `settings`. */
const changedKeys = (differences: FieldDifference[]) => new Set(differences.map((difference) => difference.path.split(/[.[]/)[0]));

/**
 * Decides create / update / no_change / skipped for one item against what the tenant holds now, with
 * every request in order (bodies stripped to writable data) and the field-level differences. Built-in
 * objects are never written; assignments inherited from policy sets are left out and counted.
 */
export function planRestore(candidate: RestoreCandidate, contract: PolicyTypeContract, lookup: Exclude<LiveLookup, { kind: 'failed' }>, mapped: MappedAssignments | null, target: WriteTarget, secrets: SecretComparison = NO_SECRET_VALUES): RestorePlan {
  const found = lookup.kind === 'found' ? lookup : null;
  const base = { candidate, contract, matchedBy: found?.matchedBy ?? null, liveId: found?.liveId ?? null, error: null };
  const skipped = (reason: string): RestorePlan => ({ ...base, action: 'skipped', requests: [], assignments: null, differences: [], reason });
  if (isBuiltInObject(contract.type, candidate.snapshot) || (found && isBuiltInObject(contract.type, found.live))) return skipped(BUILT_IN_REASON);
  // Objects every tenant has (default branding profile, tenant settings): updated, never created.
  if (!found && isUpdateOnlyObject(contract, candidate.snapshot)) return skipped(BUILT_IN_REASON);

  const assignments = mapped ? directAssignments(mapped) : null;
  const input: WriteInput = { contract, snapshot: candidate.snapshot, graphBaseUrl: target.graphBaseUrl };
  const strategy = writeStrategyFor(contract.type);
  try {
    if (!found) {
      const requests = strategy.create(input);
      const plan = assignments ? { ...assignments, changed: assignments.mapped.length > 0 } : null;
      if (plan?.changed && !plan.blocked) requests.push(...assignmentRequests(contract, targetPath(input), plan.mapped));
      return { ...base, action: 'create', requests, assignments: plan, differences: [], reason: null };
    }
    // Applications: only their assignments are restored, so only those count as differences.
    const differences = contract.restoresAssignmentsOnly ? [] : compareObjects(contract, found.live, candidate.snapshot, secrets);
    const requests = strategy.update({ ...input, liveId: found.liveId, live: found.live, changed: changedKeys(differences) });
    let plan: AssignmentPlan | null = null;
    if (assignments) {
      const live = splitAssignments(found.live.assignments).direct;
      const liveKeys = comparableAssignments(live);
      const wanted = comparableAssignments(assignments.mapped);
      const changed = liveKeys.length !== wanted.length || liveKeys.some((value, index) => value !== wanted[index]);
      plan = { ...assignments, changed };
      if (changed) {
        differences.push({ path: 'assignments', live: withoutServerManaged(live), snapshot: assignments.mapped });
        if (!assignments.blocked) requests.push(...assignmentRequests(contract, objectPathFor(contract, found.live, found.liveId), assignments.mapped, live));
      }
    }
    return {
      ...base,
      action: requests.length > 0 ? 'update' : 'no_change',
      requests,
      assignments: plan,
      differences,
      reason: plan?.changed && plan.blocked ? 'assignments_not_mappable' : null,
    };
  } catch (error) {
    if (error instanceof UnwritableSnapshotError) return skipped(error.reason);
    throw error;
  }
}

/** The mapped assignments a restore writes (direct ones), and how many came from policy sets. */
function directAssignments(mapped: MappedAssignments): Omit<AssignmentPlan, 'changed'> {
  const { direct, inherited } = splitAssignments(mapped.mapped);
  return { ...mapped, mapped: direct, inherited: inherited.length };
}

/** The request the preview's single `request` field shows: the first one carrying a body. */
export function previewRequest(plan: RestorePlan): { method: 'POST' | 'PATCH' | 'PUT'; path: string; body: GraphObject } | null {
  for (const request of plan.requests) {
    if (request.method !== 'DELETE' && request.body) return { method: request.method, path: request.path, body: request.body };
  }
  return null;
}

export function unmappedSummary(unmapped: UnmappedReference[]): Array<{ kind: string; id: string; reason: string }> {
  return unmapped.map(({ kind, id, reason }) => ({ kind, id, reason }));
}

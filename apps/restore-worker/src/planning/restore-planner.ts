import { Injectable } from '@nestjs/common';
import { SafeErrorCode, type BackupItemView, type CapturedReferences, type RestoreAmbiguity } from '@policyvault/contracts';
import { GraphError, currentPolicyTypeOf, getPolicyTypeContract, notRestorableReason, referencedObjects, splitAssignments, type GraphClient, type PolicyTypeContract } from '@policyvault/graph';
import { graphFailure, itemFailure } from '@policyvault/worker-runtime';
import { AssignmentMapper } from './assignment-mapper.js';
import { LiveTenant, type RunItem } from './live-tenant.js';
import { ReferenceMapper, type UnmappedReference } from './reference-mapper.js';
import { REFERENCES_NOT_RESTORED_REASON, RestoredObjects, withRestoreState } from './restored-objects.js';
import { SecretValues } from './secret-values.js';
import { MISSING_PERMISSIONS_REASON, TENANT_SETTINGS_REASON, failedPlan, notWrittenPlan, planRestore, unsupportedPlan, type RestoreCandidate, type RestorePlan } from './restore-plan.js';

/** Items looked up per listing match and `$batch` read (their relation reads go out 20 per batch). */
export const ITEMS_PER_LOOKUP = 40;

/** The reason an ambiguous item carries (`ambiguity` says which kind). */
export const AMBIGUOUS_REASON = 'ambiguous_match';

/** Everything one run plans with: its tenant's client (read-only for previews), lookups and mappings. */
export interface PlanningContext {
  client: GraphClient;
  live: LiveTenant;
  /** Maps scope tags, notification templates, groups and filters into the target tenant. */
  references: ReferenceMapper;
  mapper: AssignmentMapper | null;
  /** What the run matched or created so far, for the references of later passes. */
  restored: RestoredObjects;
  /** Conditional Access policies keep their captured state (else `enabled` is restored as report-only). */
  keepConditionalAccessState: boolean;
  /** The backup comes from another tenant: references to objects the run does not restore cannot be kept. */
  crossTenant: boolean;
  /** How long a transient lookup failure postpones the run (the job's retryDelayMs). */
  retryDelayMs: number;
  /** The run writes tenant-wide settings (scope.includeTenantSettings, confirmed by run-service). */
  includeTenantSettings: boolean;
}

export interface PlanningOptions {
  includeAssignments: boolean;
  crossTenant: boolean;
  /** Every item the run restores (the whole selection, without snapshots): no two get one live object. */
  runItems: RunItem[];
  /** Names of the set's foundation items (filters, scope tags) by id, for items captured without names. */
  foundationNames: CapturedReferences;
  retryDelayMs: number;
  keepConditionalAccessState?: boolean;
  /** Plan tenant-wide settings too (otherwise their items are skipped with `tenant_settings_not_confirmed`). */
  includeTenantSettings?: boolean;
}

export function planningContext(client: GraphClient, options: PlanningOptions): PlanningContext {
  const live = new LiveTenant(client, options.includeAssignments);
  live.expect(options.runItems);
  const references = new ReferenceMapper(client, options.crossTenant, options.foundationNames);
  return {
    client,
    live,
    references,
    mapper: options.includeAssignments ? new AssignmentMapper(client, options.crossTenant, undefined, references) : null,
    restored: new RestoredObjects(),
    keepConditionalAccessState: options.keepConditionalAccessState ?? false,
    crossTenant: options.crossTenant,
    retryDelayMs: options.retryDelayMs,
    includeTenantSettings: options.includeTenantSettings ?? false,
  };
}

/** A backup item to plan: the restore candidate plus the reference names captured with it. */
export interface PlanningCandidate extends RestoreCandidate {
  references: CapturedReferences;
}

/** A plan with what matching and mapping found out for the item. */
export interface PlannedRestore extends RestorePlan {
  /** Set when the action is `ambiguous`: nothing is written for the item. */
  ambiguity: RestoreAmbiguity | null;
  /** Every reference of the item (object and assignments) the target tenant cannot resolve. */
  unmapped: UnmappedReference[];
}

export function toCandidate(item: BackupItemView): PlanningCandidate {
  return { backupItemId: item.id, policyType: item.policyType, graphId: item.graphId, displayName: item.displayName, snapshot: item.snapshot ?? {}, references: item.references ?? {} };
}

/** The run's items as the live tenant needs them to keep matches unique. */
export function toRunItem(item: BackupItemView): RunItem {
  return { backupItemId: item.id, policyType: currentPolicyTypeOf(item.policyType, { '@odata.type': item.odataType ?? undefined }), graphId: item.graphId, displayName: item.displayName, odataType: item.odataType ?? null };
}

const planned = (plan: RestorePlan, unmapped: UnmappedReference[] = []): PlannedRestore => ({ ...plan, ambiguity: null, unmapped });

function ambiguousPlan(candidate: RestoreCandidate, contract: PolicyTypeContract, ambiguity: RestoreAmbiguity): PlannedRestore {
  return { ...unsupportedPlan(candidate), contract, action: 'ambiguous', reason: AMBIGUOUS_REASON, ambiguity, unmapped: [] };
}

/**
 * Plans backup items against the live tenant, grouped by policy type so lookups share one listing and
 * `$batch` reads. An item without exactly one live object to restore onto is `ambiguous` (nothing is
 * written). References are mapped into the target tenant before planning, so the planned requests
 * carry the target's ids. A Graph failure of a whole lookup postpones the run when waiting may help
 * (breaker open, throttling or 5xx after retries), otherwise fails the items it concerned.
 */
@Injectable()
export class RestorePlanner {
  constructor(private readonly secrets: SecretValues) {}

  async plan(context: PlanningContext, candidates: PlanningCandidate[]): Promise<PlannedRestore[]> {
    const plans = new Map<string, PlannedRestore>();
    const byType = new Map<string, { contract: PolicyTypeContract; candidates: PlanningCandidate[] }>();
    for (const candidate of candidates) {
      // Items captured before their kind got its own type are planned as that type (same live objects).
      const policyType = currentPolicyTypeOf(candidate.policyType, candidate.snapshot);
      const lookup = getPolicyTypeContract(policyType);
      if (!lookup.supported) {
        plans.set(candidate.backupItemId, planned(unsupportedPlan(candidate)));
        continue;
      }
      // Backup-only types, and tenant-wide settings the run was not confirmed for: skipped with the reason.
      const notWritten = notRestorableReason(lookup.contract) ?? (lookup.contract.tenantSettings && !context.includeTenantSettings ? TENANT_SETTINGS_REASON : null);
      if (notWritten) {
        plans.set(candidate.backupItemId, planned(notWrittenPlan(candidate, lookup.contract, notWritten)));
        continue;
      }
      const group = byType.get(policyType) ?? { contract: lookup.contract, candidates: [] };
      group.candidates.push(candidate);
      byType.set(policyType, group);
    }
    for (const { contract, candidates: group } of byType.values()) {
      for (let index = 0; index < group.length; index += ITEMS_PER_LOOKUP) {
        for (const plan of await this.planChunk(context, contract, group.slice(index, index + ITEMS_PER_LOOKUP))) plans.set(plan.candidate.backupItemId, plan);
      }
    }
    return candidates.map((candidate) => plans.get(candidate.backupItemId)!);
  }

  private async planChunk(context: PlanningContext, contract: PolicyTypeContract, chunk: PlanningCandidate[]): Promise<PlannedRestore[]> {
    let lookups;
    try {
      lookups = await context.live.lookup(contract, chunk);
    } catch (error) {
      // Graph refused the listing: the app lacks the type's permission in this tenant; its items are skipped, the run goes on.
      if (error instanceof GraphError && error.code === SafeErrorCode.GraphForbidden) return chunk.map((candidate) => planned(notWrittenPlan(candidate, contract, MISSING_PERMISSIONS_REASON)));
      const safe = graphFailure(error, context.retryDelayMs, contract.type);
      return chunk.map((candidate) => planned(failedPlan(candidate, contract, safe)));
    }
    const plans: PlannedRestore[] = [];
    for (const [index, lookup] of lookups.entries()) {
      const candidate = chunk[index];
      if (lookup.kind === 'failed') {
        plans.push(planned(failedPlan(candidate, contract, itemFailure(lookup.error, contract.type))));
        continue;
      }
      if (lookup.kind === 'ambiguous') {
        plans.push(ambiguousPlan(candidate, contract, lookup.ambiguity));
        continue;
      }
      // Its match is what later passes' references to it mean (a create records its new id when written).
      if (lookup.kind === 'found') context.restored.record(contract.type, candidate.graphId, lookup.liveId);
      if (context.crossTenant && referencedObjects(contract.type, candidate.snapshot).some((reference) => !context.restored.knows(reference))) {
        plans.push(planned({ ...unsupportedPlan(candidate), contract, reason: REFERENCES_NOT_RESTORED_REASON }));
        continue;
      }
      let object;
      let mapped = null;
      try {
        const written = withRestoreState(contract.type, context.restored.mapSnapshot(contract.type, candidate.snapshot), context.keepConditionalAccessState);
        object = await context.references.mapObject(written, candidate.references);
        if (context.mapper && contract.assignment) mapped = await context.mapper.map(splitAssignments(candidate.snapshot.assignments).direct, candidate.references);
      } catch (error) {
        plans.push(planned(failedPlan(candidate, contract, itemFailure(error, contract.type))));
        continue;
      }
      const secrets = await this.secrets.compare(context.client, contract, candidate.snapshot, lookup.kind === 'found' ? lookup.live : null);
      if (!secrets.ok) {
        plans.push(planned(failedPlan(candidate, contract, secrets.error)));
        continue;
      }
      const plan = planRestore({ ...candidate, snapshot: object.snapshot }, contract, lookup, mapped, context.client, secrets.comparison);
      if (plan.action === 'create') context.restored.expectCreated(contract.type, candidate.graphId);
      plans.push(planned(plan, [...object.unmapped, ...(mapped?.unmapped ?? [])]));
    }
    return plans;
  }
}

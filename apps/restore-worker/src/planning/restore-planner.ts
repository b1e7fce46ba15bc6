import { Injectable } from '@nestjs/common';
import type { BackupItemView } from '@policyvault/contracts';
import { getPolicyTypeContract, type GraphClient, type PolicyTypeContract } from '@policyvault/graph';
import { graphFailure, itemFailure } from '@policyvault/worker-runtime';
import { AssignmentMapper } from './assignment-mapper.js';
import { LiveTenant } from './live-tenant.js';
import { SecretValues } from './secret-values.js';
import { failedPlan, planRestore, unsupportedPlan, type RestoreCandidate, type RestorePlan } from './restore-plan.js';

/** Items looked up per listing match and `$batch` read (their relation reads go out 20 per batch). */
export const ITEMS_PER_LOOKUP = 40;

/** Everything one run plans with: its tenant's client (read-only for previews), lookups and mappings. */
export interface PlanningContext {
  client: GraphClient;
  live: LiveTenant;
  mapper: AssignmentMapper | null;
  /** How long a transient lookup failure postpones the run (the job's retryDelayMs). */
  retryDelayMs: number;
}

export function planningContext(client: GraphClient, options: { includeAssignments: boolean; crossTenant: boolean; sourceFilterNames: ReadonlyMap<string, string>; retryDelayMs: number }): PlanningContext {
  return {
    client,
    live: new LiveTenant(client, options.includeAssignments),
    mapper: options.includeAssignments ? new AssignmentMapper(client, options.crossTenant, options.sourceFilterNames) : null,
    retryDelayMs: options.retryDelayMs,
  };
}

export function toCandidate(item: BackupItemView): RestoreCandidate {
  return { backupItemId: item.id, policyType: item.policyType, graphId: item.graphId, displayName: item.displayName, snapshot: item.snapshot ?? {} };
}

/**
 * Plans backup items against the live tenant, grouped by policy type so lookups share one listing and
 * `$batch` reads. A Graph failure of a whole lookup postpones the run when waiting may help
 * (breaker open, throttling or 5xx after retries), otherwise fails the items it concerned.
 */
@Injectable()
export class RestorePlanner {
  constructor(private readonly secrets: SecretValues) {}

  async plan(context: PlanningContext, candidates: RestoreCandidate[]): Promise<RestorePlan[]> {
    const plans = new Map<string, RestorePlan>();
    const byType = new Map<string, { contract: PolicyTypeContract; candidates: RestoreCandidate[] }>();
    for (const candidate of candidates) {
      const lookup = getPolicyTypeContract(candidate.policyType);
      if (!lookup.supported) {
        plans.set(candidate.backupItemId, unsupportedPlan(candidate));
        continue;
      }
      const group = byType.get(candidate.policyType) ?? { contract: lookup.contract, candidates: [] };
      group.candidates.push(candidate);
      byType.set(candidate.policyType, group);
    }
    for (const { contract, candidates: group } of byType.values()) {
      for (let index = 0; index < group.length; index += ITEMS_PER_LOOKUP) {
        for (const plan of await this.planChunk(context, contract, group.slice(index, index + ITEMS_PER_LOOKUP))) plans.set(plan.candidate.backupItemId, plan);
      }
    }
    return candidates.map((candidate) => plans.get(candidate.backupItemId)!);
  }

  private async planChunk(context: PlanningContext, contract: PolicyTypeContract, chunk: RestoreCandidate[]): Promise<RestorePlan[]> {
    let lookups;
    try {
      lookups = await context.live.lookup(contract, chunk);
    } catch (error) {
      const safe = graphFailure(error, context.retryDelayMs, contract.type);
      return chunk.map((candidate) => failedPlan(candidate, contract, safe));
    }
    const plans: RestorePlan[] = [];
    for (const [index, lookup] of lookups.entries()) {
      const candidate = chunk[index];
      if (lookup.kind === 'failed') {
        plans.push(failedPlan(candidate, contract, itemFailure(lookup.error, contract.type)));
        continue;
      }
      let mapped = null;
      if (context.mapper && contract.assignment) {
        try {
          mapped = await context.mapper.map(candidate.snapshot.assignments);
        } catch (error) {
          plans.push(failedPlan(candidate, contract, itemFailure(error, contract.type)));
          continue;
        }
      }
      const secrets = await this.secrets.compare(context.client, contract, candidate.snapshot, lookup.kind === 'found' ? lookup.live : null);
      if (!secrets.ok) {
        plans.push(failedPlan(candidate, contract, secrets.error));
        continue;
      }
      plans.push(planRestore(candidate, contract, lookup, mapped, context.client, secrets.comparison));
    }
    return plans;
  }
}

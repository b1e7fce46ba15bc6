import { Injectable } from '@nestjs/common';
import { SafeErrorCode, type PolicySelectionScope, type SafeError } from '@policyvault/contracts';
import { POLICY_TYPE_CONTRACTS, getPolicyTypeContract, listPolicyTypes } from '@policyvault/graph';
import { forEachLimited, type Job } from '@policyvault/worker-runtime';
import type { CaptureTarget } from '../capture/policy-capture.service.js';
import { policyItemKey, typeItemKey } from '../capture/report-capture.js';
import { InventoryService } from '../inventory/inventory.service.js';
import { PoliciesRepository } from '../store/policies.repository.js';

const TYPES_IN_FLIGHT = 8;

export interface SelectedPolicy extends CaptureTarget {
  isFoundation: boolean;
}

/** A part of the selection that cannot be captured: reported as its own run item. */
export interface SelectionProblem {
  itemKey: string;
  label: string;
  status: 'failed' | 'skipped';
  outcome: string;
  error: SafeError;
  /** Set when the problem is a whole policy type (unknown to the registry, or its listing refused). */
  policyType?: string;
}

/** Receives the selection as it is resolved: explicit ids first, then each type as its listing arrives. */
export interface SelectionSink {
  policies(selected: SelectedPolicy[]): Promise<void>;
  problem(problem: SelectionProblem): Promise<void>;
}

/**
 * Turns a backup scope into the policies to capture: selected inventory ids, plus every object of the
 * selected types (listed live from Graph and recorded in the inventory), plus the foundations (assignment
 * filters, scope tags) when asked. No ids and no types means every non-foundation type.
 */
@Injectable()
export class PolicySelectionService {
  constructor(
    private readonly inventory: InventoryService,
    private readonly policies: PoliciesRepository,
  ) {}

  /**
   * Streams the selection into `sink` so that capture starts with the first listing instead of after
   * the last. A policy may reach the sink twice (selected by id and by type): the sink de-duplicates.
   * Resolves once every listing is done and every `sink.policies` call has settled.
   */
  async resolve(job: Job, scope: PolicySelectionScope, sink: SelectionSink): Promise<void> {
    const tenantId = job.command.tenantId;
    const selectsEverything = scope.policyIds === undefined && scope.policyTypes === undefined;
    const types = new Set(selectsEverything ? listPolicyTypes({ includeFoundations: false }) : (scope.policyTypes ?? []));
    if (scope.includeFoundations) for (const type of listPolicyTypes().filter((type) => POLICY_TYPE_CONTRACTS[type].foundation)) types.add(type);
    const selected = (target: CaptureTarget): SelectedPolicy => {
      const lookup = getPolicyTypeContract(target.policy.policyType);
      return { ...target, isFoundation: lookup.supported && lookup.contract.foundation };
    };

    const captures: Promise<void>[] = [];
    let captureFailure: { error: unknown } | undefined;
    const capture = (policies: SelectedPolicy[]) => {
      captures.push(sink.policies(policies).catch((error: unknown) => void (captureFailure ??= { error })));
    };

    const ids = [...new Set(scope.policyIds ?? [])];
    const byId = await this.policies.findByIds(tenantId, ids);
    const found = new Set(byId.map((policy) => policy.id));
    for (const policyId of ids.filter((id) => !found.has(id))) {
      await sink.problem({
        itemKey: policyItemKey(policyId),
        label: policyId,
        status: 'failed',
        outcome: 'not_found',
        error: { code: SafeErrorCode.NotFound, message: "The policy is not in this tenant's inventory." },
      });
    }
    capture(byId.map((policy) => selected({ policy })));

    try {
      await forEachLimited([...types], TYPES_IN_FLIGHT, async (policyType) => {
        if (captureFailure) throw captureFailure.error;
        const sync = await this.inventory.syncType(job.client, tenantId, policyType, job.retryDelayMs);
        if (sync.kind === 'synced') return capture(sync.targets.map(selected));
        const lookup = getPolicyTypeContract(sync.policyType);
        await sink.problem({
          itemKey: typeItemKey(sync.policyType),
          label: lookup.supported ? lookup.contract.displayName : sync.policyType,
          status: sync.kind === 'unsupported' ? 'skipped' : 'failed',
          outcome: sync.kind === 'unsupported' ? 'unsupported' : 'failed',
          error: sync.error,
          policyType: sync.policyType,
        });
      }, job.checkpoint);
    } finally {
      await Promise.all(captures);
    }
    if (captureFailure) throw captureFailure.error;
  }
}

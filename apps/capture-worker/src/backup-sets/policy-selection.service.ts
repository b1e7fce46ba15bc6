import { Injectable } from '@nestjs/common';
import { SafeErrorCode, type PolicySelectionScope, type SafeError } from '@policyvault/contracts';
import { POLICY_TYPE_CONTRACTS, RunListings, getPolicyTypeContract, listPolicyTypes, type ListPoliciesOptions } from '@policyvault/graph';
import { forEachLimited, type Job } from '@policyvault/worker-runtime';
import type { CaptureTarget } from '../capture/policy-capture.service.js';
import { policyItemKey, typeItemKey } from '../capture/report-capture.js';
import { InventoryService, type Listed, type Synced, type TypeListing } from '../inventory/inventory.service.js';
import type { RecordedSelectionProblem } from '../store/backup-set-selection.entity.js';
import { BackupSetSelectionsRepository, type RecordedSelectionPart } from '../store/backup-set-selections.repository.js';
import type { BackupSetEntity } from '../store/backup-set.entity.js';
import { PoliciesRepository } from '../store/policies.repository.js';
import type { PolicyEntity } from '../store/policy.entity.js';

const TYPES_IN_FLIGHT = 8;
/** With assignments in each entry: incremental capture compares entries, and `/assign` moves no stamp. */
const LISTING = { expandAssignments: true } satisfies ListPoliciesOptions;

/** The types a scope lists: no ids and no types means every non-foundation type; the foundations when asked. */
function selectedTypes(scope: PolicySelectionScope): Set<string> {
  const selectsEverything = scope.policyIds === undefined && scope.policyTypes === undefined;
  const types = new Set(selectsEverything ? listPolicyTypes({ includeFoundations: false }) : (scope.policyTypes ?? []));
  if (scope.includeFoundations) for (const type of listPolicyTypes().filter((type) => POLICY_TYPE_CONTRACTS[type].foundation)) types.add(type);
  return types;
}

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
 *
 * The selection is fixed once per run: each part (the ids, each type's listing) is recorded with the set
 * (`capture.backup_set_selections`) before any of its policies is captured, and a redelivered run takes
 * the recorded parts instead of listing again; only a part no delivery recorded yet is listed. Objects of
 * the selection deleted in between fail as not found when they are read; objects created since are not in it.
 */
@Injectable()
export class PolicySelectionService {
  constructor(
    private readonly inventory: InventoryService,
    private readonly policies: PoliciesRepository,
    private readonly selections: BackupSetSelectionsRepository,
  ) {}

  /**
   * The listings of a run's first delivery, started now, before the run has set up (its backup set, its recorded
   * selection): their first pages are read while Postgres answers, and the run's first Graph requests do not wait for
   * it. Nothing is recorded for a first delivery, so `resolve` (given these listings) takes every page read here. A
   * redelivery lists only the parts no earlier delivery recorded: for it, nothing is read ahead.
   */
  listAhead(job: Job, scope: PolicySelectionScope): RunListings {
    const listings = new RunListings(job.client);
    if (job.deliveryCount === 1) listings.prefetch(selectedTypes(scope), LISTING);
    return listings;
  }

  /**
   * Streams the selection into `sink` so that capture starts with the first listing instead of after
   * the last. A policy may reach the sink twice (selected by id and by type): the sink de-duplicates.
   * Resolves once every listing is done and every `sink.policies` call has settled.
   */
  async resolve(job: Job, set: Pick<BackupSetEntity, 'id'>, scope: PolicySelectionScope, sink: SelectionSink, listings = new RunListings(job.client)): Promise<void> {
    const { tenantId, runId } = job.command;
    const types = selectedTypes(scope);
    const selected = (target: CaptureTarget): SelectedPolicy => {
      const lookup = getPolicyTypeContract(target.policy.policyType);
      return { ...target, isFoundation: lookup.supported && lookup.contract.foundation };
    };
    const recorded = await this.selections.parts(tenantId, runId);
    // A collection several types list (the enrollment configurations) is listed once for all of them, and the first
    // pages of the types this delivery lists are read together (`$batch`) as it starts (or before: `listAhead`).
    const listing: ListPoliciesOptions = { ...LISTING, listings };
    listings.prefetch([...types].filter((type) => !recorded.has(typeItemKey(type))), listing);

    const captures: Promise<void>[] = [];
    let captureFailure: { error: unknown } | undefined;
    const capture = (policies: SelectedPolicy[]) => {
      captures.push(sink.policies(policies).catch((error: unknown) => void (captureFailure ??= { error })));
    };

    const ids = [...new Set(scope.policyIds ?? [])];
    const byId = await this.chosenById(job, set, ids, recorded.get(IDS_PART));
    const found = new Set(byId.map((policy) => policy.id));
    // Not in the inventory when the selection was fixed, or no longer in it.
    for (const policyId of ids.filter((id) => !found.has(id))) await sink.problem(notInInventory(policyId));
    capture(byId.map((policy) => selected({ policy })));

    const deliver = async (policyType: string, part: string, resolved: ResolvedPart) => {
      if (resolved.kind === 'problem') return sink.problem({ itemKey: part, policyType, ...resolved.problem });
      for (const policyId of resolved.missing) await sink.problem(notInInventory(policyId));
      capture(resolved.targets.map(selected));
    };
    // Listings that found nothing have nothing to capture: recorded together once the listings are done. The others
    // are recorded as they arrive, those that arrive together in one statement; a type's slot lists the next type
    // as soon as Graph has answered.
    const empty: EmptyListing[] = [];
    const record = this.inventory.recorder(tenantId, { runId, backupSetId: set.id });
    const recordings: Promise<void>[] = [];
    let recordingFailure: { error: unknown } | undefined;
    try {
      await forEachLimited([...types], TYPES_IN_FLIGHT, async (policyType) => {
        if (captureFailure) throw captureFailure.error;
        if (recordingFailure) throw recordingFailure.error;
        const part = typeItemKey(policyType);
        const earlier = recorded.get(part);
        if (earlier) return deliver(policyType, part, await this.recordedListing(tenantId, earlier));
        const listed = await this.inventory.listType(job.client, policyType, job.retryDelayMs, listing);
        if (listed.kind === 'listed' && listed.objects.length === 0) return void empty.push({ policyType, part, seenAt: listed.listedAt });
        recordings.push(
          this.recordPart(job, set, part, listed, record)
            .then((resolved) => deliver(policyType, part, resolved))
            .catch((error: unknown) => void (recordingFailure ??= { error })),
        );
      }, job.checkpoint);
      await Promise.all(recordings);
      if (recordingFailure) throw recordingFailure.error;
      // Parts another delivery recorded first are the selection: theirs are delivered as recorded.
      const recordedHere = await this.policies.recordEmptyListings(tenantId, runId, set.id, empty);
      for (const { policyType, part } of empty.filter(({ part }) => !recordedHere.has(part))) {
        await deliver(policyType, part, await this.recordedListing(tenantId, await this.selections.recorded(tenantId, runId, part)));
      }
    } finally {
      await Promise.all(recordings);
      await Promise.all(captures);
    }
    if (captureFailure) throw captureFailure.error;
  }

  /** The policies chosen by id that were in the inventory when the run's first delivery recorded them. */
  private async chosenById(job: Job, set: Pick<BackupSetEntity, 'id'>, ids: string[], earlier: RecordedSelectionPart | undefined): Promise<PolicyEntity[]> {
    const { tenantId, runId } = job.command;
    if (earlier) return this.policies.findByIds(tenantId, earlier.policyIds);
    const found = await this.policies.findByIds(tenantId, ids);
    if (ids.length === 0) return found;
    const { won, recorded } = await this.selections.record(tenantId, runId, set.id, IDS_PART, { policyIds: found.map((policy) => policy.id), problem: null });
    return won ? found : this.policies.findByIds(tenantId, recorded.policyIds);
  }

  /**
   * The first listing of a type for this run, recorded (`record`: with the listings that arrive with it) as the
   * selection part, then captured (from the listing's shapes); a type that could not be listed, as its problem.
   */
  private async recordPart(job: Job, set: Pick<BackupSetEntity, 'id'>, part: string, listed: TypeListing, record: (listed: Listed, part: string) => Promise<Synced>): Promise<ResolvedPart> {
    const { tenantId, runId } = job.command;
    // A listing is recorded as the selection part in the statement that records it in the inventory.
    const sync = listed.kind === 'listed' ? await record(listed, part) : listed;
    if (sync.kind === 'synced') {
      if (sync.selectionRecorded) return { kind: 'policies', targets: sync.targets, missing: [] };
      // Another delivery of the run recorded this type at the same time: its listing is the selection.
      return this.recordedListing(tenantId, await this.selections.recorded(tenantId, runId, part));
    }
    const problem = listingProblem(sync.policyType, sync.kind, sync.error);
    const { won, recorded } = await this.selections.record(tenantId, runId, set.id, part, { policyIds: [], problem });
    if (!won) return this.recordedListing(tenantId, recorded);
    return { kind: 'problem', problem };
  }

  /** A listing an earlier delivery recorded: its policies from the inventory (read again when captured). */
  private async recordedListing(tenantId: string, listing: RecordedSelectionPart): Promise<ResolvedPart> {
    if (listing.problem) return { kind: 'problem', problem: listing.problem };
    const policies = new Map((await this.policies.findByIds(tenantId, listing.policyIds)).map((policy) => [policy.id, policy]));
    return {
      kind: 'policies',
      targets: listing.policyIds.flatMap((policyId) => (policies.has(policyId) ? [{ policy: policies.get(policyId)! }] : [])),
      missing: listing.policyIds.filter((policyId) => !policies.has(policyId)),
    };
  }
}

/** The part of a selection holding the policies chosen by id. */
const IDS_PART = 'ids';

type ResolvedPart = { kind: 'policies'; targets: CaptureTarget[]; missing: string[] } | { kind: 'problem'; problem: RecordedSelectionProblem };

/** A listing that found nothing, recorded with the run's other empty listings once its listings are done. */
interface EmptyListing {
  policyType: string;
  part: string;
  seenAt: Date;
}

function notInInventory(policyId: string): SelectionProblem {
  return {
    itemKey: policyItemKey(policyId),
    label: policyId,
    status: 'failed',
    outcome: 'not_found',
    error: { code: SafeErrorCode.NotFound, message: "The policy is not in this tenant's inventory." },
  };
}

/** A type that cannot be listed: unknown or refused (403, a permission the app lacks) is skipped; anything else fails. */
function listingProblem(policyType: string, kind: 'unsupported' | 'forbidden' | 'failed', error: SafeError): RecordedSelectionProblem {
  const lookup = getPolicyTypeContract(policyType);
  const outcomes = { unsupported: 'unsupported', forbidden: 'missing_permissions', failed: 'failed' } as const;
  return {
    label: lookup.supported ? lookup.contract.displayName : policyType,
    status: kind === 'failed' ? 'failed' : 'skipped',
    outcome: outcomes[kind],
    error,
  };
}

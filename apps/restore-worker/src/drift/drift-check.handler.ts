import { Injectable } from '@nestjs/common';
import {
  RunItemStatus,
  RunType,
  SafeErrorCode,
  type BackupItemView,
  type BackupSetView,
  type DriftCheckSummary,
  type DriftCheckTarget,
  type EmptyScope,
  type RunCommand,
  type SafeError,
} from '@policyvault/contracts';
import { currentPolicyTypeOf, getPolicyTypeContract, isBuiltInObject, type PolicyTypeContract } from '@policyvault/graph';
import { CommandHandler, type CommandContext, type HandlerOutcome, type ItemReport, type RunCommandHandler } from '@policyvault/platform';
import { JobRunner, PostponeRun, graphFailure, itemFailure, type Job } from '@policyvault/worker-runtime';
import { BackupStoreClient, BackupStoreNotFound, BackupStoreUnavailable } from '../backup-store/backup-store.client.js';
import { backupItemKey, unsupportedError } from '../jobs/report-item.js';
import { LiveTenant, type LiveMatch } from '../planning/live-tenant.js';
import { ITEMS_PER_LOOKUP, toCandidate, toRunItem, type PlanningCandidate } from '../planning/restore-planner.js';
import { SecretValues } from '../planning/secret-values.js';
import { upgradeSnapshots } from '../planning/snapshot-upgrade.js';
import { driftOfBaselineItem } from './drift-comparison.js';
import { DriftReportsRepository, type StoredDriftItem } from './drift-reports.repository.js';

const BACKUP_STORE_RETRY_MS = 5000;
type DriftJob = Job<DriftCheckTarget, EmptyScope>;

/** The run item of a live object the baseline does not hold. */
const liveItemKey = (policyType: string, liveId: string) => `live:${policyType}:${liveId}`;

/**
 * Issue 12: the live tenant against a baseline backup set (the target's, or the tenant's latest
 * complete one), per baseline policy `unchanged` / `changed` / `removed`, plus `added` for live objects
 * of the baseline's policy types it does not hold; stored as a drift report. Reuses the restore
 * planning: one listing per type and complete reads through `LiveTenant` (matching by id, then by one
 * unambiguous name), secret values compared by digest (`SecretValues`), the shared compare module. Runs
 * on a read-only Graph client: a drift check never writes.
 */
@Injectable()
@CommandHandler(RunType.DriftCheck)
export class DriftCheckHandler implements RunCommandHandler {
  constructor(
    private readonly jobs: JobRunner,
    private readonly store: BackupStoreClient,
    private readonly secrets: SecretValues,
    private readonly reports: DriftReportsRepository,
  ) {}

  handle(command: RunCommand, context: CommandContext): Promise<HandlerOutcome> {
    return this.jobs.run<DriftCheckTarget, EmptyScope>(command, context, (job) => this.check(job), { readOnly: true });
  }

  private async check(job: DriftJob): Promise<void> {
    try {
      const baseline = await this.baseline(job);
      if (!baseline) return;
      await this.compare(job, baseline);
    } catch (error) {
      if (error instanceof BackupStoreUnavailable) throw new PostponeRun(BACKUP_STORE_RETRY_MS, 'the backup store did not answer');
      throw error;
    }
  }

  /**
   * The target's set (not still capturing), or the tenant's latest complete one; undefined after failing
   * the run. A redelivery keeps the baseline its first delivery chose, even when a newer set completed since.
   */
  private async baseline(job: DriftJob): Promise<BackupSetView | undefined> {
    const tenantId = job.command.tenantId;
    const backupSetId = (await this.reports.findForRun(tenantId, job.command.runId))?.baselineBackupSetId ?? job.target.backupSetId;
    if (!backupSetId) {
      const latest = await this.store.getLatestBackupSet(tenantId, ['complete']);
      if (!latest) await job.progress.fail({ code: SafeErrorCode.NotFound, message: 'The tenant has no complete backup set to compare with; create one first.' });
      return latest ?? undefined;
    }
    try {
      const set = await this.store.getBackupSet(tenantId, backupSetId);
      if (set.status !== 'capturing') return set;
      await job.progress.fail({ code: SafeErrorCode.InvalidCommand, message: 'The backup set is still being captured; compare with it once its capture has ended.' });
    } catch (error) {
      if (!(error instanceof BackupStoreNotFound)) throw error;
      await job.progress.fail({ code: SafeErrorCode.NotFound, message: 'The backup set is not in this tenant.' });
    }
    return undefined;
  }

  private async compare(job: DriftJob, set: BackupSetView): Promise<void> {
    const { command, progress } = job;
    const report = await this.reports.start(command.tenantId, command.runId, set.id);
    const summary = (counts: Omit<DriftCheckSummary, 'reportId' | 'baselineBackupSetId'>): DriftCheckSummary => ({ reportId: report.id, baselineBackupSetId: set.id, ...counts });
    job.onCanceled(() => ({ reportId: report.id, baselineBackupSetId: set.id }));
    // One pass without snapshots first: every item is known before any is matched (no live object is
    // matched to two of them, whatever order they come in).
    const live = new LiveTenant(job.client, true);
    const runItems = [];
    for await (const page of this.store.items(command.tenantId, set.id, { includeSnapshots: false })) runItems.push(...page.map(toRunItem));
    live.expect(runItems);
    await progress.started(set.itemCount);

    // What earlier deliveries stored is reported as stored (never compared again: one point in time per item).
    const earlier = await this.reports.storedItems(command.tenantId, report.id);
    let position = Math.max(-1, ...[...earlier.values()].map((item) => item.position)) + 1;
    const ambiguousCandidates = new Set<string>();
    const types = new Map<string, PolicyTypeContract>();
    for await (const page of this.store.items(command.tenantId, set.id, { includeSnapshots: true })) {
      await job.checkpoint();
      const reports: ItemReport[] = [];
      const stored: StoredDriftItem[] = [];
      for (const item of page) {
        const kept = earlier.get(backupItemKey(item.id));
        if (!kept) continue;
        reports.push(storedItemReport(kept));
        const lookup = getPolicyTypeContract(currentPolicyTypeOf(item.policyType, item.snapshot ?? {}));
        if (!lookup.supported) continue;
        types.set(lookup.contract.type, lookup.contract);
        if (kept.liveId) live.claim(lookup.contract, kept.liveId, item.id);
      }
      const toCompare = page.filter((item) => !earlier.has(backupItemKey(item.id)));
      for (const { item, outcome } of await this.comparePage(job, live, toCompare)) {
        const base = { itemKey: backupItemKey(item.id), label: item.displayName };
        if (outcome.kind === 'unsupported') {
          reports.push({ ...base, status: RunItemStatus.Skipped, outcome: 'skipped', error: unsupportedError(item.policyType) });
          continue;
        }
        types.set(outcome.contract.type, outcome.contract);
        if (outcome.kind === 'failed') reports.push({ ...base, status: RunItemStatus.Failed, outcome: 'failed', error: outcome.error });
        else if (outcome.kind === 'ambiguous') {
          outcome.candidateIds.forEach((id) => ambiguousCandidates.add(id));
          reports.push({ ...base, status: RunItemStatus.Skipped, outcome: 'ambiguous', result: { policyType: item.policyType, candidateIds: outcome.candidateIds } });
        } else {
          const drift = outcome.drift;
          const compared: StoredDriftItem = { itemKey: base.itemKey, position: position++, policyType: item.policyType, displayName: item.displayName, liveId: drift.liveId, backupItemId: item.id, status: drift.status, differences: drift.differences };
          stored.push(compared);
          reports.push(storedItemReport(compared));
        }
      }
      // Stored before reported: a redelivery keeps what this delivery stored.
      await this.reports.saveItems(command.tenantId, report.id, stored);
      await Promise.all(reports.map((itemReport) => progress.item(itemReport)));
    }

    for (const contract of types.values()) {
      await job.checkpoint();
      // Each type's added objects are stored in one statement: an earlier delivery's are the type's listing.
      const addedEarlier = [...earlier.values()].filter((item) => item.status === 'added' && item.policyType === contract.type);
      if (addedEarlier.length > 0) {
        await Promise.all(addedEarlier.map((item) => progress.item(storedItemReport(item))));
        continue;
      }
      let added;
      try {
        added = (await live.unmatched(contract, ambiguousCandidates)).filter((object) => !isBuiltInObject(contract.type, object));
      } catch (error) {
        await progress.item({ itemKey: `live:${contract.type}`, label: contract.displayName, status: RunItemStatus.Failed, outcome: 'failed', error: graphFailure(error, job.retryDelayMs, contract.type) });
        continue;
      }
      const stored = added.map((object): StoredDriftItem => {
        const liveId = String(object.id);
        return { itemKey: liveItemKey(contract.type, liveId), position: position++, policyType: contract.type, displayName: String(object[contract.nameProperty] ?? ''), liveId, backupItemId: null, status: 'added', differences: [] };
      });
      await this.reports.saveItems(command.tenantId, report.id, stored);
      await Promise.all(stored.map((item) => progress.item(storedItemReport(item))));
    }

    const { counts, driftStatus } = await this.reports.complete(command.tenantId, report.id);
    await progress.finish({ ...summary({ driftStatus, ...counts }) });
  }

  /** One page of baseline items looked up per type (one listing, `$batch` reads), each compared. */
  private async comparePage(job: DriftJob, live: LiveTenant, page: BackupItemView[]): Promise<Array<{ item: BackupItemView; outcome: ItemOutcome }>> {
    const candidates = await upgradeSnapshots(job.client, page.map(toCandidate));
    const outcomes = new Map<string, ItemOutcome>();
    const byType = new Map<string, { contract: PolicyTypeContract; candidates: PlanningCandidate[] }>();
    for (const candidate of candidates) {
      // A baseline taken before an enrollment kind got its own type is compared as that type now.
      const policyType = currentPolicyTypeOf(candidate.policyType, candidate.snapshot);
      const lookup = getPolicyTypeContract(policyType);
      if (!lookup.supported) {
        outcomes.set(candidate.backupItemId, { kind: 'unsupported' });
        continue;
      }
      const group = byType.get(policyType) ?? { contract: lookup.contract, candidates: [] };
      group.candidates.push(candidate);
      byType.set(policyType, group);
    }
    for (const { contract, candidates: group } of byType.values()) {
      for (let index = 0; index < group.length; index += ITEMS_PER_LOOKUP) {
        const chunk = group.slice(index, index + ITEMS_PER_LOOKUP);
        let matches: LiveMatch[];
        try {
          matches = await live.lookup(contract, chunk);
        } catch (error) {
          const safe = graphFailure(error, job.retryDelayMs, contract.type);
          for (const candidate of chunk) outcomes.set(candidate.backupItemId, { kind: 'failed', contract, error: safe });
          continue;
        }
        for (const [position, match] of matches.entries()) outcomes.set(chunk[position].backupItemId, await this.compareItem(job, contract, chunk[position], match));
      }
    }
    return page.map((item) => ({ item, outcome: outcomes.get(item.id)! }));
  }

  private async compareItem(job: DriftJob, contract: PolicyTypeContract, candidate: PlanningCandidate, match: LiveMatch): Promise<ItemOutcome> {
    if (match.kind === 'failed') return { kind: 'failed', contract, error: itemFailure(match.error, contract.type) };
    if (match.kind === 'ambiguous') return { kind: 'ambiguous', contract, candidateIds: match.ambiguity.candidateIds };
    const secrets = await this.secrets.compare(job.client, contract, candidate.snapshot, match.kind === 'found' ? match.live : null);
    if (!secrets.ok) return { kind: 'failed', contract, error: secrets.error };
    return { kind: 'compared', contract, drift: driftOfBaselineItem(contract, candidate.snapshot, match, secrets.comparison) };
  }
}

/** The run item of a stored drift item (compared by this delivery or an earlier one). */
function storedItemReport(item: StoredDriftItem): ItemReport {
  return {
    itemKey: item.itemKey,
    label: item.displayName,
    status: RunItemStatus.Succeeded,
    outcome: item.status,
    result:
      item.status === 'added'
        ? { policyType: item.policyType, liveId: item.liveId }
        : { policyType: item.policyType, liveId: item.liveId, differences: item.differences.length },
  };
}

type ItemOutcome =
  | { kind: 'unsupported' }
  | { kind: 'failed'; contract: PolicyTypeContract; error: SafeError }
  | { kind: 'ambiguous'; contract: PolicyTypeContract; candidateIds: string[] }
  | { kind: 'compared'; contract: PolicyTypeContract; drift: ReturnType<typeof driftOfBaselineItem> };

import { Injectable } from '@nestjs/common';
import { RunItemStatus, type PolicySelectionScope } from '@policyvault/contracts';
import type { RunListings } from '@policyvault/graph';
import { RunCanceled, type Job } from '@policyvault/worker-runtime';
import { PolicyCaptureService, type CaptureResult } from '../capture/policy-capture.service.js';
import { IncrementalCapture } from '../capture/incremental-capture.js';
import { ReferenceNameReader } from '../capture/reference-names.js';
import { policyItemKey, reportCaptureResult } from '../capture/report-capture.js';
import type { BackupSetEntity } from '../store/backup-set.entity.js';
import { BackupSetsRepository, type ExistingBackupItem, type FinishedSetStatus } from '../store/backup-sets.repository.js';
import { PolicySelectionService, type SelectedPolicy } from './policy-selection.service.js';

export interface SetCaptureResult {
  /** The set's status as this capture leaves it (written only when the caller created the set). */
  status: FinishedSetStatus;
  /** Policy types of the selection the registry does not know (each reported as a skipped item). */
  skippedPolicyTypes: string[];
  summary: { backupSetId: string; captured: number; unchanged: number };
}

export interface CaptureOptions {
  /** Whether this capture ends the set (its status): when the run created it. */
  finishSet: boolean;
  /** The listings `listAhead` started before the set was at hand (else they start once it is). */
  listings?: RunListings;
}

/**
 * Captures a selection into a backup set, item by item (US2), for both `backup_set.create` and
 * `backup_set.add_policies`. A policy already in the set is not captured again: when this run put it
 * there (a redelivery) its item is reported again as it was; when another run did, it is skipped.
 */
@Injectable()
export class BackupSetCaptureService {
  constructor(
    private readonly selection: PolicySelectionService,
    private readonly capture: PolicyCaptureService,
    private readonly sets: BackupSetsRepository,
    private readonly incremental: IncrementalCapture,
  ) {}

  /**
   * Captures the selection into the set and reports every item; `run-started` with the planned count is
   * published as soon as the selection is known, while its policies are read. It does not end the run: the
   * caller finishes it with the returned summary (a schedule run applies retention first). A cancel stops
   * between chunks; the items in flight finish, a set this run creates ends `partial` (what it holds is a
   * consistent but incomplete backup), and RunCanceled goes on to the job runner, which ends the run
   * canceled with the set's summary.
   */
  async captureInto(job: Job, set: BackupSetEntity, scope: PolicySelectionScope, { finishSet, listings }: CaptureOptions): Promise<SetCaptureResult> {
    const { command, progress } = job;
    const existing = await this.sets.itemsByPolicy(command.tenantId, set.id);
    const claimed = new Set<string>();
    const skippedPolicyTypes: string[] = [];
    // Names of referenced groups, scope tags, filters and templates, read once per run (restores map by name).
    const referenceNames = new ReferenceNameReader(job.client);
    const addToSet = (results: CaptureResult[]) => this.addToSet(job, set, results);
    // One queue for the whole run: the listings' policies are read in chunks of several types as they arrive.
    const reads = this.capture.queue(job, addToSet, { referenceNames });
    let planned = 0;
    let canceled: RunCanceled | undefined;
    let started: Promise<void> | undefined;
    const summary = () => ({ backupSetId: set.id, captured: progress.countOutcome('captured'), unchanged: progress.countOutcome('unchanged') });
    job.onCanceled(() => ({ ...summary(), skippedPolicyTypes: [...new Set(skippedPolicyTypes)].sort() }));

    try {
      try {
        await this.selection.resolve(job, set, scope, {
          problem: async (problem) => {
            planned += 1;
            if (problem.status === 'failed') await progress.failed(problem.itemKey, problem.label, problem.error, problem.outcome);
            else await progress.skipped(problem.itemKey, problem.label, problem.outcome, problem.error);
            if (problem.status === 'skipped' && problem.outcome === 'unsupported' && problem.policyType) skippedPolicyTypes.push(problem.policyType);
          },
          policies: async (policies) => {
            const toCapture: SelectedPolicy[] = [];
            for (const selected of policies) {
              if (claimed.has(selected.policy.id)) continue;
              claimed.add(selected.policy.id);
              planned += 1;
              const item = existing.get(selected.policy.id);
              if (!item) toCapture.push(selected);
              else await this.reportExisting(job, selected, item);
            }
            // Incremental capture: unchanged list entries reuse their stored versions; the rest is read completely.
            const { reuse, read } = this.incremental.split(toCapture);
            reads.add(read);
            reads.add(await this.incremental.reuse(job, reuse, addToSet, referenceNames));
          },
        }, listings);
      } catch (error) {
        // The chunks being read finish before the run ends; none starts.
        await reads.stop();
        throw error;
      }
      // The selection is known: `run-started` carries the planned count while the policies are read (items may
      // precede it: run-service applies events in any order), so the run's total shows while it runs.
      started = progress.started(planned);
      // Awaited once the reads are done; a failure meanwhile must not be an unhandled rejection.
      started.catch(() => undefined);
      await reads.finish();
    } catch (error) {
      if (!(error instanceof RunCanceled)) throw error;
      canceled = error;
    }
    const failed = progress.count(RunItemStatus.Failed);
    const succeeded = progress.count(RunItemStatus.Succeeded);
    const status: FinishedSetStatus = canceled ? (succeeded > 0 || failed === 0 ? 'partial' : 'failed') : failed === 0 ? 'complete' : succeeded > 0 ? 'partial' : 'failed';
    // A cancel before the selection was known publishes `run-started` now, with what the selection had found so far.
    await Promise.all([started ?? progress.started(planned), finishSet ? this.sets.finish(command.tenantId, set.id, status) : undefined]);
    if (canceled) throw canceled;
    return { status, skippedPolicyTypes: [...new Set(skippedPolicyTypes)].sort(), summary: summary() };
  }

  /**
   * Starts reading the scope's listings for a run's first delivery, to hand to `captureInto`: called before the set is
   * created or found, the first Graph requests do not wait for Postgres (PolicySelectionService.listAhead).
   */
  listAhead(job: Job, scope: PolicySelectionScope): RunListings {
    return this.selection.listAhead(job, scope);
  }

  /** Ends the run with what `captureInto` did (run-service derives the status from the items). */
  finishRun(job: Job, result: SetCaptureResult, summary: Record<string, unknown> = {}): Promise<void> {
    return job.progress.finish({ ...result.summary, ...summary });
  }

  /** A policy already in the set: this run's (a redelivery) is reported again as it was; another run's is skipped. */
  private async reportExisting(job: Job, selected: SelectedPolicy, item: ExistingBackupItem): Promise<void> {
    const { command, progress } = job;
    const key = policyItemKey(selected.policy.id);
    if (item.addedByRunId !== command.runId) return progress.skipped(key, selected.policy.displayName, 'already_in_set');
    await progress.succeeded(key, selected.policy.displayName, item.versionCapturedByRunId === command.runId ? 'captured' : 'unchanged', {
      policyId: selected.policy.id,
      policyType: selected.policy.policyType,
      versionId: item.policyVersionId,
      backupItemId: item.backupItemId,
    });
  }

  /** A chunk's captured policies added to the set in one statement, then all its results reported at once. */
  private async addToSet(job: Job, set: BackupSetEntity, results: CaptureResult[]): Promise<void> {
    const { command, progress } = job;
    const captured = results.filter((result) => result.kind === 'captured');
    const added = await this.sets.addItems(
      command.tenantId,
      set.id,
      command.runId,
      captured.map((result) => ({
        policyId: result.target.policy.id,
        policyVersionId: result.version.versionId,
        isFoundation: (result.target as SelectedPolicy).isFoundation,
        referenceNames: result.references,
      })),
    );
    await Promise.all(
      results.map((result) => {
        if (result.kind !== 'captured') return reportCaptureResult(progress, result);
        const item = added[captured.indexOf(result)];
        // A concurrent run of the same set got there first.
        if (item.addedByRunId !== command.runId) return progress.skipped(policyItemKey(result.target.policy.id), result.displayName, 'already_in_set');
        return reportCaptureResult(progress, result, { backupItemId: item.backupItemId });
      }),
    );
  }
}

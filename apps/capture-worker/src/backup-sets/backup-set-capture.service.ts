import { Injectable } from '@nestjs/common';
import { RunItemStatus, type PolicySelectionScope } from '@policyvault/contracts';
import type { Job } from '../capture/job-runner.js';
import { Semaphore } from '@policyvault/graph';
import { PolicyCaptureService, READS_IN_FLIGHT, type CaptureResult } from '../capture/policy-capture.service.js';
import { policyItemKey, reportCaptureResult } from '../capture/report-capture.js';
import { BackupSetsRepository, type BackupSetRecord, type ExistingBackupItem } from '../store/backup-sets.repository.js';
import { PolicySelectionService, type SelectedPolicy } from './policy-selection.service.js';

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
  ) {}

  async captureInto(job: Job, set: BackupSetRecord, scope: PolicySelectionScope, { finishSet }: { finishSet: boolean }): Promise<void> {
    const { command, progress } = job;
    const existing = await this.sets.itemsByPolicy(command.tenantId, set.id);
    const claimed = new Set<string>();
    // One bound on reads for the whole run: types are captured as their listings arrive.
    const reads = new Semaphore(READS_IN_FLIGHT);
    let planned = 0;

    await this.selection.resolve(job, scope, {
      problem: async (problem) => {
        planned += 1;
        if (problem.status === 'failed') await progress.failed(problem.itemKey, problem.label, problem.error, problem.outcome);
        else await progress.skipped(problem.itemKey, problem.label, problem.outcome, problem.error);
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
        await this.capture.captureAll(job.capture, toCapture, (result) => this.addToSet(job, set, result), reads);
      },
    });
    // Published once the selection is known (items may precede it: run-service applies events in any order).
    await progress.started(planned);

    const failed = progress.count(RunItemStatus.Failed);
    if (finishSet) await this.sets.finish(command.tenantId, set.id, failed === 0 ? 'complete' : progress.count(RunItemStatus.Succeeded) > 0 ? 'partial' : 'failed');
    await progress.finish({
      backupSetId: set.id,
      captured: progress.countOutcome('captured'),
      unchanged: progress.countOutcome('unchanged'),
    });
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

  private async addToSet(job: Job, set: BackupSetRecord, result: CaptureResult): Promise<void> {
    const { command, progress } = job;
    if (result.kind !== 'captured') return reportCaptureResult(progress, result);
    const selected = result.target as SelectedPolicy;
    const added = await this.sets.addItem(command.tenantId, {
      backupSetId: set.id,
      policyId: selected.policy.id,
      policyVersionId: result.version.versionId,
      isFoundation: selected.isFoundation,
      runId: command.runId,
    });
    // A concurrent run of the same set got there first.
    if (added.addedByRunId !== command.runId) return progress.skipped(policyItemKey(selected.policy.id), result.displayName, 'already_in_set');
    await reportCaptureResult(progress, result, { backupItemId: added.backupItemId });
  }
}

import { Injectable } from '@nestjs/common';
import { RunItemStatus, RunType, type BackupItemView, type RestoreAction, type RestoreScope, type RestoreTarget, type RunCommand } from '@policyvault/contracts';
import { CommandHandler, type CommandContext, type HandlerOutcome, type ItemReport, type RunCommandHandler } from '@policyvault/platform';
import { JobRunner } from '@policyvault/worker-runtime';
import { BackupStoreClient } from '../backup-store/backup-store.client.js';
import { backupItemKey, notInSetReport, unsupportedError } from '../jobs/report-item.js';
import { RestoreJobs, inPhase, type RestoreJob } from '../jobs/restore-job.js';
import { UNSUPPORTED_REASON } from '../planning/restore-plan.js';
import { RestorePlanner, toCandidate } from '../planning/restore-planner.js';
import { upgradeSnapshots } from '../planning/snapshot-upgrade.js';
import { PreviewsRepository, previewItemOf, type StoredPreviewItem } from './previews.repository.js';

/**
 * US4: what a restore would do to the tenant now, item by item, persisted for reading again without
 * recomputing. Runs on a read-only Graph client: a write attempt throws before anything is sent and
 * fails the preview with `graph_read_only_violation` (JobRunner).
 */
@Injectable()
@CommandHandler(RunType.RestorePreview)
export class RestorePreviewHandler implements RunCommandHandler {
  constructor(
    private readonly jobs: JobRunner,
    private readonly restores: RestoreJobs,
    private readonly store: BackupStoreClient,
    private readonly planner: RestorePlanner,
    private readonly previews: PreviewsRepository,
  ) {}

  handle(command: RunCommand, context: CommandContext): Promise<HandlerOutcome> {
    return this.jobs.run<RestoreTarget, RestoreScope>(command, context, (job) => this.restores.within(job, (restore) => this.preview(restore)), { readOnly: true });
  }

  private async preview(job: RestoreJob): Promise<void> {
    const { command, progress, set, scope } = job;
    const selected = scope.backupItemIds;
    await this.previews.start(command.tenantId, command.runId, set.id, job.sourceTenantId, scope.includeAssignments ?? false);
    await progress.started(selected ? new Set(selected).size : set.itemCount);
    const stored = await this.previews.storedItems(command.tenantId, command.runId);
    const seen = new Set<string>();
    let position = 0;
    // The restore's passes (named locations and policy set members before what references them).
    for (const phase of job.phases) {
      for await (const page of this.store.items(job.sourceTenantId, set.id, { backupItemIds: selected, includeSnapshots: true })) {
        // Between pages: a cancel ends the run canceled with the items so far (the job runner).
        await job.checkpoint();
        const computed: StoredPreviewItem[] = [];
        const toPlan: { item: BackupItemView; position: number }[] = [];
        for (const item of page.filter(inPhase(phase))) {
          seen.add(item.id);
          const earlier = stored.get(item.id);
          if (earlier) computed.push(earlier);
          else toPlan.push({ item, position: position });
          position += 1;
        }
        const plans = await this.planner.plan(job.planning, await upgradeSnapshots(job.client, toPlan.map(({ item }) => toCandidate(item))));
        const fresh = plans.map((plan, index) => previewItemOf(plan, toPlan[index].position));
        // Stored before reported: a redelivery finds them and reports the same thing again.
        await this.previews.saveItems(command.tenantId, command.runId, fresh);
        await Promise.all([...computed, ...fresh].map((item) => progress.item(itemReport(item))));
      }
    }
    for (const backupItemId of new Set(selected ?? [])) if (!seen.has(backupItemId)) await progress.item(notInSetReport(backupItemId));
    await this.previews.complete(command.tenantId, command.runId);
    const totals = (action: RestoreAction) => progress.countOutcome(action);
    await progress.finish({ backupSetId: set.id, create: totals('create'), update: totals('update'), noChange: totals('no_change'), skipped: totals('skipped'), ambiguous: totals('ambiguous') });
  }
}

function itemReport(item: StoredPreviewItem): ItemReport {
  const base = { itemKey: backupItemKey(item.backupItemId), label: item.displayName };
  if (item.error) return { ...base, status: RunItemStatus.Failed, outcome: 'failed', error: item.error };
  if (item.action === 'skipped' && item.reason === UNSUPPORTED_REASON) return { ...base, status: RunItemStatus.Skipped, outcome: 'skipped', error: unsupportedError(item.policyType) };
  if (item.action === 'skipped') return { ...base, status: RunItemStatus.Skipped, outcome: 'skipped', result: { action: 'skipped', policyType: item.policyType, reason: item.reason } };
  // Nothing would be written: no single live object to restore onto.
  if (item.action === 'ambiguous') return { ...base, status: RunItemStatus.Skipped, outcome: 'ambiguous', result: { action: item.action, policyType: item.policyType, ambiguity: item.ambiguity } };
  return {
    ...base,
    status: RunItemStatus.Succeeded,
    outcome: item.action,
    result: {
      action: item.action,
      policyType: item.policyType,
      matchedBy: item.matchedBy,
      liveId: item.liveId,
      differences: item.differences.length,
      requests: item.requests.length,
      ...(item.unmapped.length > 0 ? { unmapped: item.unmapped } : {}),
    },
  };
}

import { Injectable } from '@nestjs/common';
import { RunType, type BackupScheduleRunScope, type BackupScheduleSlotTarget, type PolicySelectionScope, type RunCommand } from '@policyvault/contracts';
import { CommandHandler, type CommandContext, type HandlerOutcome, type RunCommandHandler } from '@policyvault/platform';
import { JobRunner } from '@policyvault/worker-runtime';
import { BackupSetCaptureService } from '../backup-sets/backup-set-capture.service.js';
import { BackupSetsRepository } from '../store/backup-sets.repository.js';
import { ScheduleRetentionService } from './schedule-retention.service.js';

/** "Nightly — 2027-03-28 01:30 UTC": the schedule's name and its slot, in UTC. */
export function scheduledBackupSetName(scheduleName: string, slot: string): string {
  return `${scheduleName} — ${new Date(slot).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * One slot of a backup schedule (spec 032): lists the schedule's policy types live into the inventory
 * (the sync), captures every policy of them (and the foundations when asked) into a new immutable set
 * named after the schedule and the slot, then applies the schedule's retention. A type the registry
 * does not know is a skipped item with its reason and never fails the run.
 *
 * Retention runs only after a run with no failed item (the set is `complete`): a partial or canceled
 * run keeps every older set, so a bad night never pushes a good backup out. The summary carries what
 * run-service audits and shows in the schedule's history: backupSetId, skippedPolicyTypes, retention.
 * Redelivery continues the set keyed by the run id (as backup_set.create); retention finds nothing more.
 */
@Injectable()
@CommandHandler(RunType.BackupScheduleRun)
export class BackupScheduleRunHandler implements RunCommandHandler {
  constructor(
    private readonly jobs: JobRunner,
    private readonly sets: BackupSetsRepository,
    private readonly backup: BackupSetCaptureService,
    private readonly retention: ScheduleRetentionService,
  ) {}

  handle(command: RunCommand, context: CommandContext): Promise<HandlerOutcome> {
    return this.jobs.run<BackupScheduleSlotTarget, BackupScheduleRunScope>(command, context, async (job) => {
      const { scheduleId, slot } = job.target;
      const { scheduleName, policyTypes, includeFoundations = false, keepLast } = job.scope;
      const selection: PolicySelectionScope = { includeFoundations, ...(policyTypes !== undefined ? { policyTypes } : {}) };
      // A canceled run keeps every older set (the capture adds the set's id and skipped types).
      job.onCanceled(() => ({ scheduleId, slot, retention: null, retentionDeferred: 'canceled' }));
      const listings = this.backup.listAhead(job, selection);
      const set = await this.sets.createForRun(command.tenantId, command.runId, scheduledBackupSetName(scheduleName, slot), includeFoundations, scheduleId);
      const capture = await this.backup.captureInto(job, set, selection, { finishSet: true, listings });
      const summary: Record<string, unknown> = { scheduleId, slot, skippedPolicyTypes: capture.skippedPolicyTypes };
      if (capture.status !== 'complete') {
        return this.backup.finishRun(job, capture, { ...summary, retention: null, retentionDeferred: capture.status });
      }
      const retention = await this.retention.apply(command.tenantId, scheduleId, keepLast);
      await this.backup.finishRun(job, capture, { ...summary, retention });
    });
  }
}

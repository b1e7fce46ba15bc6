import { Injectable } from '@nestjs/common';
import { RunType, SafeErrorCode, type BackupSetTarget, type PolicySelectionScope, type RunCommand } from '@policyvault/contracts';
import { CommandHandler, type CommandContext, type HandlerOutcome, type RunCommandHandler } from '@policyvault/platform';
import { JobRunner } from '@policyvault/worker-runtime';
import { BackupSetsRepository } from '../store/backup-sets.repository.js';
import { BackupSetCaptureService } from './backup-set-capture.service.js';

/**
 * US2: more policies into an existing set of the same tenant. Policies already in the set are skipped
 * ("already_in_set"); the set's status stays what its creation run made it.
 */
@Injectable()
@CommandHandler(RunType.BackupSetAddPolicies)
export class BackupSetAddPoliciesHandler implements RunCommandHandler {
  constructor(
    private readonly jobs: JobRunner,
    private readonly sets: BackupSetsRepository,
    private readonly backup: BackupSetCaptureService,
  ) {}

  handle(command: RunCommand, context: CommandContext): Promise<HandlerOutcome> {
    return this.jobs.run<BackupSetTarget, PolicySelectionScope>(command, context, async (job) => {
      const set = await this.sets.find(command.tenantId, job.target.backupSetId);
      if (!set) return job.progress.fail({ code: SafeErrorCode.NotFound, message: 'The backup set does not exist in this tenant.' });
      await this.backup.finishRun(job, await this.backup.captureInto(job, set, job.scope, { finishSet: false }));
    });
  }
}

import { Injectable } from '@nestjs/common';
import { BackupSetTarget, PolicySelectionScope, RunType, SafeErrorCode, type RunCommand } from '@policyvault/contracts';
import { CommandHandler, Outcome, validateMessage, type CommandContext, type HandlerOutcome, type RunCommandHandler } from '@policyvault/platform';
import { JobRunner } from '../capture/job-runner.js';
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

  async handle(command: RunCommand, context: CommandContext): Promise<HandlerOutcome> {
    const target = validateMessage(BackupSetTarget, command.target);
    if (!target.ok) return Outcome.reject(`invalid target: ${target.problems.join('; ')}`);
    const scope = validateMessage(PolicySelectionScope, command.scope);
    if (!scope.ok) return Outcome.reject(`invalid scope: ${scope.problems.join('; ')}`);
    return this.jobs.run(command, context, async (job) => {
      const set = await this.sets.find(command.tenantId, target.value.backupSetId);
      if (!set) return job.progress.fail({ code: SafeErrorCode.NotFound, message: 'The backup set does not exist in this tenant.' });
      await this.backup.finishRun(job, await this.backup.captureInto(job, set, scope.value, { finishSet: false }));
    });
  }
}

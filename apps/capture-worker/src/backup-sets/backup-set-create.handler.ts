import { Injectable } from '@nestjs/common';
import { BackupSetNameTarget, PolicySelectionScope, RunType, type RunCommand } from '@policyvault/contracts';
import { CommandHandler, Outcome, validateMessage, type CommandContext, type HandlerOutcome, type RunCommandHandler } from '@policyvault/platform';
import { JobRunner } from '../capture/job-runner.js';
import { BackupSetsRepository } from '../store/backup-sets.repository.js';
import { BackupSetCaptureService } from './backup-set-capture.service.js';

/** US2: a new backup set, captured item by item; its status ends complete, partial or failed. */
@Injectable()
@CommandHandler(RunType.BackupSetCreate)
export class BackupSetCreateHandler implements RunCommandHandler {
  constructor(
    private readonly jobs: JobRunner,
    private readonly sets: BackupSetsRepository,
    private readonly backup: BackupSetCaptureService,
  ) {}

  async handle(command: RunCommand, context: CommandContext): Promise<HandlerOutcome> {
    const target = validateMessage(BackupSetNameTarget, command.target);
    if (!target.ok) return Outcome.reject(`invalid target: ${target.problems.join('; ')}`);
    const scope = validateMessage(PolicySelectionScope, command.scope);
    if (!scope.ok) return Outcome.reject(`invalid scope: ${scope.problems.join('; ')}`);
    return this.jobs.run(command, context, async (job) => {
      // Keyed by the run: a redelivered command continues the set its first delivery created.
      const set = await this.sets.createForRun(command.tenantId, command.runId, target.value.name, scope.value.includeFoundations ?? false);
      await this.backup.finishRun(job, await this.backup.captureInto(job, set, scope.value, { finishSet: true }));
    });
  }
}

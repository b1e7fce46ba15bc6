import { Injectable } from '@nestjs/common';
import { RunType, type BackupSetNameTarget, type PolicySelectionScope, type RunCommand } from '@policyvault/contracts';
import { CommandHandler, type CommandContext, type HandlerOutcome, type RunCommandHandler } from '@policyvault/platform';
import { JobRunner } from '@policyvault/worker-runtime';
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

  handle(command: RunCommand, context: CommandContext): Promise<HandlerOutcome> {
    return this.jobs.run<BackupSetNameTarget, PolicySelectionScope>(command, context, async (job) => {
      const listings = this.backup.listAhead(job, job.scope);
      // Keyed by the run: a redelivered command continues the set its first delivery created.
      const set = await this.sets.createForRun(command.tenantId, command.runId, job.target.name, job.scope.includeFoundations ?? false);
      await this.backup.finishRun(job, await this.backup.captureInto(job, set, job.scope, { finishSet: true, listings }));
    });
  }
}

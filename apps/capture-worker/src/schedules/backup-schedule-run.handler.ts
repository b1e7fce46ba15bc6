import { Injectable } from '@nestjs/common';
import { RunType, SafeErrorCode, type RunCommand } from '@policyvault/contracts';
import { CommandHandler, type CommandContext, type HandlerOutcome, type RunCommandHandler } from '@policyvault/platform';
import { JobRunner } from '../capture/job-runner.js';

/**
 * Backup schedules arrive with issue 7. Until then a schedule run that reaches this worker ends failed
 * with a safe error instead of waiting forever (the boot check wants a handler for every capture subject).
 */
@Injectable()
@CommandHandler(RunType.BackupScheduleRun)
export class BackupScheduleRunHandler implements RunCommandHandler {
  constructor(private readonly jobs: JobRunner) {}

  handle(command: RunCommand, context: CommandContext): Promise<HandlerOutcome> {
    return this.jobs.run(command, context, ({ progress }) =>
      progress.fail({ code: SafeErrorCode.Internal, message: 'Backup schedule runs are not supported yet.' }),
    );
  }
}

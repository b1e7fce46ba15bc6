import { hostname } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { RunCommand } from '@policyvault/contracts';
import { GraphClientFactory, type GraphClient } from '@policyvault/graph';
import { LOGGER, Outcome, type CommandContext, type HandlerOutcome } from '@policyvault/platform';
import { CaptureWorkerConfig } from '../capture-worker.config.js';
import type { CaptureRequest } from './policy-capture.service.js';
import { PostponeRun, runCheckpoint } from './postpone-run.js';
import { RunCanceled } from './run-canceled.js';
import { RunProgress } from './run-progress.js';

/** What a capture job works with: its tenant's Graph client, its progress reporting, its command. */
export interface Job {
  command: RunCommand;
  client: GraphClient;
  progress: RunProgress;
  /** Everything PolicyCaptureService needs to read and store for this run. */
  capture: CaptureRequest;
  signal: AbortSignal;
  /**
   * Call between items (before a chunk, a type): throws PostponeRun when the worker shuts down and
   * RunCanceled once a cancel was asked for (run-service's answer is at most a second old).
   */
  checkpoint: () => Promise<void>;
}

/**
 * The frame around every capture handler: the tenant's Graph client (shared token, pacer and breaker),
 * progress reporting, logs naming the run and this replica, PostponeRun turned into a retry, and a
 * RunCanceled that reached it turned into a run ended `canceled` with the items so far (handlers with
 * more to say — a backup set's status and id — catch it themselves and end the run as canceled).
 */
@Injectable()
export class JobRunner {
  readonly workerId: string;

  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(GraphClientFactory) private readonly graph: GraphClientFactory,
    config: CaptureWorkerConfig,
  ) {
    this.workerId = config.WORKER_ID ?? `${hostname()}:${process.pid}`;
  }

  async run(command: RunCommand, context: CommandContext, work: (job: Job) => Promise<void>): Promise<HandlerOutcome> {
    const log = this.logger.child({ runId: command.runId, tenantId: command.tenantId, type: command.type, workerId: this.workerId });
    log.info({ deliveryCount: context.deliveryCount }, 'run command received');
    let client: GraphClient;
    try {
      client = this.graph.forTenant(command.tenantDirectoryId);
    } catch {
      return Outcome.reject('the tenant directory id is not a directory id');
    }
    const progress = new RunProgress(context.events, this.workerId);
    const checkpoint = runCheckpoint(context.signal, () => context.isCancelRequested());
    const capture: CaptureRequest = {
      client,
      tenantId: command.tenantId,
      runId: command.runId,
      deliveryCount: context.deliveryCount,
      signal: context.signal,
      checkpoint,
    };
    try {
      await work({ command, client, progress, capture, signal: context.signal, checkpoint });
      log.info({ items: progress.itemCount, canceled: progress.wasCanceled }, 'run command done');
      return Outcome.done();
    } catch (error) {
      if (error instanceof RunCanceled) {
        await progress.canceled();
        log.info({ items: progress.itemCount }, 'run command canceled');
        return Outcome.done();
      }
      if (!(error instanceof PostponeRun)) throw error;
      log.info({ delayMs: error.delayMs, reason: error.reason, items: progress.itemCount }, 'run command postponed');
      return Outcome.retry(error.delayMs, error.reason);
    }
  }
}

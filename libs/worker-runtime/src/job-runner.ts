import { hostname } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { RunCommand } from '@policyvault/contracts';
import { GraphClientFactory, GraphWorkerConfig, ReadOnlyViolationError, type GraphClient } from '@policyvault/graph';
import { LOGGER, Outcome, validateRunTargetAndScope, type CommandContext, type HandlerOutcome } from '@policyvault/platform';
import { PostponeRun, retryDelayMs, runCheckpoint } from './postpone-run.js';
import { RunCanceled } from './run-canceled.js';
import { RunProgress } from './run-progress.js';

/** What a handler works with inside the job runner. */
export interface Job<Target extends object = object, Scope extends object = object> {
  command: RunCommand;
  /** The command's target and scope, validated against its run type's shape. */
  target: Target;
  scope: Scope;
  /** The tenant's Graph client (shared token, pacer and breaker); read-only when the handler asked. */
  client: GraphClient;
  progress: RunProgress;
  /** Names the run, tenant, type and worker. */
  log: Logger;
  deliveryCount: number;
  /** How long a transient failure postpones this delivery (RETRY_DELAYS_MS at deliveryCount). */
  retryDelayMs: number;
  /**
   * Call between items: throws PostponeRun when the worker shuts down and RunCanceled once a cancel was
   * asked for (run-service's answer is at most 3 s old: RunStateProbe). Let both through: the runner handles them.
   */
  checkpoint(): Promise<void>;
  /** Adds to the summary of the run should a cancel end it (a backup set's id…); read at that moment. */
  onCanceled(summary: () => Record<string, unknown>): void;
}

export interface JobOptions {
  /** Any Graph write throws ReadOnlyViolationError before it is sent; the run fails with that code. */
  readOnly?: boolean;
}

/**
 * The frame around every run command handler of every worker: target and scope validated, the
 * tenant's Graph client, progress reporting, logs naming the run and this replica, and the ways a job
 * ends early turned into outcomes — PostponeRun into a retry, RunCanceled into a run ended `canceled`
 * with the items so far, a write through a read-only client into a failed run.
 */
@Injectable()
export class JobRunner {
  readonly workerId: string;
  private readonly retryDelays: readonly number[];

  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(GraphClientFactory) private readonly graph: GraphClientFactory,
    config: GraphWorkerConfig,
  ) {
    this.workerId = config.WORKER_ID ?? `${hostname()}:${process.pid}`;
    this.retryDelays = config.RETRY_DELAYS_MS;
  }

  async run<Target extends object = object, Scope extends object = object>(
    command: RunCommand,
    context: CommandContext,
    work: (job: Job<Target, Scope>) => Promise<void>,
    options: JobOptions = {},
  ): Promise<HandlerOutcome> {
    // The same check run-service made before queueing: a command failing it was altered or is from an
    // incompatible version, and is rejected.
    const shape = validateRunTargetAndScope(command.type, command.target, command.scope);
    if (!shape.ok) return Outcome.reject(`invalid command: ${shape.problems.join('; ')}`);
    const log = this.logger.child({ runId: command.runId, tenantId: command.tenantId, type: command.type, workerId: this.workerId });
    log.info({ deliveryCount: context.deliveryCount }, 'run command received');
    let client: GraphClient;
    try {
      client = this.graph.forTenant(command.tenantDirectoryId, { readOnly: options.readOnly ?? false });
    } catch {
      return Outcome.reject('the tenant directory id is not a directory id');
    }
    const progress = new RunProgress(context.events, this.workerId);
    const canceledSummaries: (() => Record<string, unknown>)[] = [];
    const job: Job<Target, Scope> = {
      command,
      target: shape.value.target as Target,
      scope: shape.value.scope as Scope,
      client,
      progress,
      log,
      deliveryCount: context.deliveryCount,
      retryDelayMs: retryDelayMs(this.retryDelays, context.deliveryCount),
      checkpoint: runCheckpoint(context.signal, () => context.isCancelRequested()),
      onCanceled: (summary) => void canceledSummaries.push(summary),
    };
    try {
      await work(job);
      log.info({ items: progress.itemCount }, 'run command done');
      return Outcome.done();
    } catch (error) {
      if (error instanceof RunCanceled) {
        await progress.canceled(Object.assign({}, ...canceledSummaries.map((summary) => summary())));
        log.info({ items: progress.itemCount }, 'run command canceled');
        return Outcome.done();
      }
      if (error instanceof ReadOnlyViolationError) {
        log.error({ method: error.method }, 'a write was attempted through the read-only client and was not sent');
        await progress.fail(error.toSafeError());
        return Outcome.done();
      }
      if (!(error instanceof PostponeRun)) throw error;
      log.info({ delayMs: error.delayMs, reason: error.reason, items: progress.itemCount }, 'run command postponed');
      return Outcome.retry(error.delayMs, error.reason);
    }
  }
}

import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import type { JsMsg } from '@nats-io/jetstream';
import { isUUID as isUuidText } from 'class-validator';
import type { Logger } from 'pino';
import {
  RUN_TYPES_REGISTRY,
  RunCommand,
  RunStatus,
  isTerminalRunStatus,
  SafeErrorCode,
  WorkerRunOutcome,
  runTypesOfWorker,
  workerOfCommandFilter,
  type JetStreamNames,
  type RunType,
  type RunWorker,
} from '@policyvault/contracts';
import { JetStreamPullConsumer, type ExhaustedMessage } from '../jetstream/jetstream-pull-consumer.js';
import { Outcome, type HandlerOutcome } from '../jetstream/handler-outcome.js';
import {
  JETSTREAM,
  JETSTREAM_MANAGER,
  JETSTREAM_NAMES,
  NATS_CONNECTION,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
} from '../nats/nats.module.js';
import { MaxDeliveriesWatcher } from './max-deliveries.advisory.js';
import { LOGGER } from '../platform.module.js';
import { validateMessage } from '../validation/validate-message.js';
import { COMMAND_HANDLER_METADATA, type RunCommandHandler } from './command-handler.decorator.js';
import { RunEventPublisher } from './run-event.publisher.js';
import { RunStateProbe } from './run-state.probe.js';
import { NatsRequestClient } from '../messaging/nats-request.client.js';
import { CommonConfig } from '../config/common.config.js';
import { natsAuthOptions } from '../nats/nats-auth.js';
import { annotateRun } from '../tracing/spans.js';

export const COMMAND_CONSUMER_OPTIONS = Symbol('COMMAND_CONSUMER_OPTIONS');
export const REJECTED_COMMAND_RECORDER = Symbol('REJECTED_COMMAND_RECORDER');

/** A command refused because run-service has no such run: kept, but it ends no run (it is not that run's). */
const NOT_ITS_RUN = 'command refused: not its run';
/**
 * How long a command waits before its run is checked again while run-service does not answer, by delivery
 * (the last repeats): with max_deliver 50, about three quarters of an hour before it is given up.
 */
const RUN_CHECK_RETRY_MS = [1000, 5000, 15_000, 30_000, 60_000];

export interface CommandConsumerOptions {
  /** Durable consumer name, shared by every replica of the worker. */
  durable: string;
  /** This worker's disjoint slice of the command stream (work-queue streams refuse overlaps). */
  filterSubject: (names: JetStreamNames) => string;
  concurrency: number;
  maxDeliver: number;
  ackWaitMs: number;
  /** How long shutdown waits for in-flight commands before releasing them to another replica. */
  shutdownGraceMs: number;
}

/** Where a worker keeps commands it could not process (its own table): nothing is dropped silently. */
export interface RejectedCommandRecorder {
  record(message: ExhaustedMessage): Promise<void>;
}

/**
 * The worker side of the command stream: one durable pull consumer per worker, one handler per
 * run type found by @CommandHandler (checked at boot), ack only after the handler's work and events
 * are durable, heartbeats (the pull consumer's) while a command waits and runs, and a failed run
 * for a command given up on.
 */
@Injectable()
export class CommandConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly handlers = new Map<string, { type: RunType; handler: RunCommandHandler }>();
  private worker!: RunWorker;
  private readonly shutdown = new AbortController();
  private consumer?: JetStreamPullConsumer;
  private exhaustedWatcher?: MaxDeliveriesWatcher;
  private readonly runServiceClient: NatsRequestClient;
  private readonly runs: RunStateProbe;

  constructor(
    @Inject(COMMAND_CONSUMER_OPTIONS) private readonly options: CommandConsumerOptions,
    @Inject(REJECTED_COMMAND_RECORDER) private readonly recorder: RejectedCommandRecorder,
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly manager: JetStreamManager,
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    config: CommonConfig,
  ) {
    this.runServiceClient = new NatsRequestClient({ namespace: config.NATS_NAMESPACE, servers: config.NATS_URL, name: `${options.durable}-run-state`, ...natsAuthOptions(config) });
    this.runs = new RunStateProbe(this.runServiceClient);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.registerHandlers();
    await this.runServiceClient.connect();
    this.consumer = new JetStreamPullConsumer(
      this.js,
      this.manager,
      this.connection,
      {
        stream: this.names.commandStream,
        durable: this.options.durable,
        filterSubject: this.options.filterSubject(this.names),
        maxDeliver: this.options.maxDeliver,
        ackWaitMs: this.options.ackWaitMs,
        concurrency: this.options.concurrency,
        // Commands run for long: pull one only when a slot is free (see PullConsumerOptions.prefetch).
        prefetch: false,
      },
      { handle: (message) => this.handle(message), onDropped: (message) => this.drop(message) },
      this.logger,
    );
    this.exhaustedWatcher = new MaxDeliveriesWatcher(
      this.connection,
      this.manager,
      this.names.commandStream,
      this.options.durable,
      (message) => this.drop(message),
      this.logger,
    );
    this.exhaustedWatcher.start();
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    const grace = new Promise((resolve) => setTimeout(resolve, this.options.shutdownGraceMs).unref());
    const stopped = this.consumer?.stop();
    await Promise.race([stopped, grace]);
    // Handlers still running stop between items and hand their command back (nak) to another replica.
    this.shutdown.abort();
    await stopped;
    await this.exhaustedWatcher?.stop();
    await this.runServiceClient.close();
  }

  /**
   * Boot check: this worker (named by its filter subject in RUN_TYPES_REGISTRY's worker prefixes) has
   * exactly one handler for each run type the registry gives it, and none for another worker's.
   */
  private registerHandlers(): void {
    const filter = this.options.filterSubject(this.names);
    const worker = workerOfCommandFilter(filter, this.names.subject);
    if (!worker) throw new Error(`command handlers are inconsistent: ${filter} is no worker's command filter`);
    this.worker = worker;
    const problems: string[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const type = wrapper.metatype ? this.reflector.get<RunType | undefined>(COMMAND_HANDLER_METADATA, wrapper.metatype) : undefined;
      if (!type) continue;
      const { worker: owner, subject } = RUN_TYPES_REGISTRY[type];
      if (owner !== worker) problems.push(`${wrapper.name} handles ${type}, whose commands never reach this worker`);
      else if (this.handlers.has(this.names.subject(subject))) problems.push(`${type} has more than one handler (${wrapper.name})`);
      else this.handlers.set(this.names.subject(subject), { type, handler: wrapper.instance as RunCommandHandler });
    }
    for (const type of runTypesOfWorker(worker)) {
      if (!this.handlers.has(this.names.subject(RUN_TYPES_REGISTRY[type].subject))) problems.push(`${type} has no handler`);
    }
    if (problems.length > 0) throw new Error(`command handlers are inconsistent: ${problems.join('; ')}`);
  }

  private async handle(message: JsMsg): Promise<HandlerOutcome> {
    let payload: unknown;
    try {
      payload = message.json();
    } catch {
      return Outcome.reject('payload is not JSON');
    }
    const command = validateMessage(RunCommand, payload);
    if (!command.ok) return Outcome.reject(`invalid command: ${command.problems.join('; ')}`);
    const registration = this.handlers.get(message.subject);
    if (!registration) return Outcome.reject(`no handler for subject ${message.subject}`);
    if (registration.type !== command.value.type) return Outcome.reject(`command of type ${command.value.type} on the ${registration.type} subject`);

    const { runId, tenantId } = command.value;
    annotateRun(command.value);
    // Before any Graph call: the command must be the one run-service queued for its run (tenant,
    // directory, type, target, scope); a forged or misrouted command does no work.
    const check = await this.runs.check(command.value);
    if (check.kind === 'unavailable') {
      const delayMs = RUN_CHECK_RETRY_MS[Math.min(message.info.deliveryCount, RUN_CHECK_RETRY_MS.length) - 1];
      return Outcome.retry(delayMs, 'run-service did not answer the run check');
    }
    if (check.kind === 'not-its-run') {
      this.logger.warn({ runId, tenantId, type: command.value.type, reason: check.reason }, NOT_ITS_RUN);
      return Outcome.reject(`${NOT_ITS_RUN}: ${check.reason}`);
    }
    const { run } = check;
    if (isTerminalRunStatus(run.status)) {
      // Canceled while queued, or already finished before this redelivery: nothing left to do.
      this.logger.info({ runId, status: run.status }, 'command skipped: its run has ended');
      return Outcome.done();
    }
    // The pull consumer heartbeats the message from its receipt until it is settled.
    return registration.handler.handle(command.value, {
      deliveryCount: message.info.deliveryCount,
      events: new RunEventPublisher(this.js, this.names, this.worker, runId, tenantId),
      heartbeat: () => message.working(),
      signal: this.shutdown.signal,
      isCancelRequested: async () => {
        const current = await this.runs.current(tenantId, runId);
        return Boolean(current && (current.cancelRequested || current.status === RunStatus.Canceled));
      },
    });
  }

  /** A rejected or exhausted command: keep it, and end its run as failed so nobody waits forever. */
  private async drop(message: ExhaustedMessage): Promise<void> {
    await this.recorder.record(message);
    if (message.reason.startsWith(NOT_ITS_RUN)) return;
    const run = runOfDroppedCommand(message.data);
    if (!run) return;
    const exhausted = message.reason.startsWith('delivery attempts exhausted');
    await new RunEventPublisher(this.js, this.names, this.worker, run.runId, run.tenantId)
      .runFinished(WorkerRunOutcome.Failed, 0, {
        error: exhausted
          ? { code: SafeErrorCode.DeliveryExhausted, message: 'The work was retried too many times and was given up.' }
          : { code: SafeErrorCode.InvalidCommand, message: 'The command for this run was malformed and was rejected.' },
      })
      .catch((error: Error) => this.logger.error({ err: { message: error.message } }, 'could not report a dropped command'));
  }
}

function isUUID(value: unknown): value is string {
  return typeof value === 'string' && isUuidText(value);
}

/**
 * The run a dropped command names, when it names one well enough to fail it (ids that are UUIDs); null for
 * anything else (not JSON, `null`, an array, ids of the wrong type), which is only recorded.
 */
function runOfDroppedCommand(data: Uint8Array): { runId: string; tenantId: string } | null {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null) return null;
  const { runId, tenantId } = payload as Partial<RunCommand>;
  return isUUID(runId) && isUUID(tenantId) ? { runId, tenantId } : null;
}

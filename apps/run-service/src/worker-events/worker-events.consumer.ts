import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { JsMsg } from '@nats-io/jetstream';
import {
  WorkerEventSubjects,
  WorkerItemFinishedEvent,
  WorkerRunFinishedEvent,
  WorkerRunStartedEvent,
} from '@policyvault/contracts';
import {
  JETSTREAM,
  JETSTREAM_MANAGER,
  JETSTREAM_NAMES,
  JetStreamPullConsumer,
  LOGGER,
  Outcome,
  RejectedMessageRecorder,
  validateMessage,
  type HandlerOutcome,
  type JetStreamClient,
  type JetStreamManager,
  type JetStreamNames,
} from '@policyvault/platform';
import { RunServiceConfig } from '../run-service.config.js';
import { ApplyWorkerEventService } from './apply-worker-event.service.js';

const MAX_DELIVER = 30;

/** Consumes worker events (run started, item finished, run finished) from JetStream. */
@Injectable()
export class WorkerEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: JetStreamPullConsumer;

  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly manager: JetStreamManager,
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly rejected: RejectedMessageRecorder,
    private readonly apply: ApplyWorkerEventService,
    private readonly config: RunServiceConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new JetStreamPullConsumer(
      this.js,
      this.manager,
      {
        stream: this.names.workerEventStream,
        durable: 'run-service',
        filterSubject: this.names.workerEventSubjects,
        maxDeliver: MAX_DELIVER,
        ackWaitMs: 30_000,
        concurrency: this.config.WORKER_EVENT_CONCURRENCY,
      },
      { handle: (message) => this.handle(message), onDropped: (message) => this.rejected.record(message) },
      this.logger,
    );
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  private async handle(message: JsMsg): Promise<HandlerOutcome> {
    let payload: unknown;
    try {
      payload = message.json();
    } catch {
      return Outcome.reject('payload is not JSON');
    }
    switch (message.subject) {
      case this.names.subject(WorkerEventSubjects.runStarted): {
        const event = validateMessage(WorkerRunStartedEvent, payload);
        return event.ok ? this.apply.runStarted(event.value) : Outcome.reject(event.problems.join('; '));
      }
      case this.names.subject(WorkerEventSubjects.itemFinished): {
        const event = validateMessage(WorkerItemFinishedEvent, payload);
        return event.ok ? this.apply.itemFinished(event.value) : Outcome.reject(event.problems.join('; '));
      }
      case this.names.subject(WorkerEventSubjects.runFinished): {
        const event = validateMessage(WorkerRunFinishedEvent, payload);
        return event.ok
          ? this.apply.runFinished(event.value, message.info.deliveryCount)
          : Outcome.reject(event.problems.join('; '));
      }
      default:
        return Outcome.reject(`no handler for subject ${message.subject}`);
    }
  }
}

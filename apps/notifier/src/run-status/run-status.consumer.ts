import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import type { JsMsg } from '@nats-io/jetstream';
import { RunStatusEvent, RunStatusEventKind } from '@policyvault/contracts';
import {
  RejectedMessageRecorder,
  JETSTREAM,
  JETSTREAM_MANAGER,
  JETSTREAM_NAMES,
  JetStreamPullConsumer,
  LOGGER,
  Outcome,
  validateMessage,
  type HandlerOutcome,
  type JetStreamClient,
  type JetStreamManager,
  type JetStreamNames,
} from '@policyvault/platform';
import { NotifierConfig } from '../notifier.config.js';
import { RecordNotificationService } from '../notifications/record-notification.service.js';

/** Every notifier replica binds this durable consumer: they share the stream's events between them. */
export const RUN_STATUS_DURABLE = 'notifier';
const MAX_DELIVER = 10;

/**
 * Consumes the transitions of the run-status stream (limits retention, read by others too; progress
 * events have their own subject): each becomes a notification; invalid events, and the rejected or
 * undeliverable ones, are recorded for operators and terminated, never dropped silently.
 */
@Injectable()
export class RunStatusConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: JetStreamPullConsumer;

  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly manager: JetStreamManager,
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly rejected: RejectedMessageRecorder,
    private readonly notifications: RecordNotificationService,
    private readonly config: NotifierConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new JetStreamPullConsumer(
      this.js,
      this.manager,
      {
        stream: this.names.runStatusStream,
        durable: RUN_STATUS_DURABLE,
        filterSubject: this.names.runStatusSubjects,
        maxDeliver: MAX_DELIVER,
        ackWaitMs: 30_000,
        concurrency: this.config.RUN_STATUS_CONCURRENCY,
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
    const event = validateMessage(RunStatusEvent, payload);
    if (!event.ok) return Outcome.reject(`invalid run status event: ${event.problems.join('; ')}`);
    // Progress has its own subject (evt.run.progress.v1), outside this consumer's filter.
    if (event.value.kind !== RunStatusEventKind.Transition) return Outcome.reject(`${event.value.kind} event on the status subject`);
    // The subject names the tenant; an event filed under another tenant's subject is not trusted.
    if (message.subject !== this.names.runStatusSubject(event.value.tenantId)) {
      return Outcome.reject(`event of tenant ${event.value.tenantId} on subject ${message.subject}`);
    }
    const created = await this.notifications.record(event.value);
    this.logger.debug({ runId: event.value.runId, status: event.value.status, created }, 'run transition notified');
    return Outcome.done();
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { RUN_STATUS_SUBJECT, RunStatusEvent, RunStatusEventKind } from '@policyvault/contracts';
import {
  EventHandler,
  JETSTREAM_NAMES,
  LOGGER,
  Outcome,
  type EventConsumerDeclaration,
  type EventContext,
  type HandlerOutcome,
  type JetStreamEventHandler,
  type JetStreamNames,
} from '@policyvault/platform';
import { NotifierConfig } from '../notifier.config.js';
import { ChannelRouter } from '../channels/channel-router.service.js';
import { RecordNotificationService } from '../notifications/record-notification.service.js';

/** Every notifier replica binds this durable consumer: they share the stream's events between them. */
export const RUN_STATUS_DURABLE = 'notifier';
/** Transitions of every tenant (`evt.run.status.v1.<tenant>`); progress events have their own subject. */
const RUN_STATUS_OF_EVERY_TENANT = `${RUN_STATUS_SUBJECT}.>`;

/**
 * The transitions of the run-status stream (limits retention, read by others too). Invalid events,
 * and the rejected or undeliverable ones, are recorded for operators and terminated, never dropped silently.
 */
export const RUN_STATUS_CONSUMER: EventConsumerDeclaration<NotifierConfig> = {
  durable: RUN_STATUS_DURABLE,
  stream: (names) => names.runStatusStream,
  filterSubject: (names) => names.runStatusSubjects,
  subjects: [RUN_STATUS_OF_EVERY_TENANT],
  maxDeliver: 10,
  ackWaitMs: 30_000,
  config: NotifierConfig,
  concurrency: (config) => config.RUN_STATUS_CONCURRENCY,
};

/** Each transition becomes one notification for the run's initiator, and deliveries to the channels subscribed to it. */
@Injectable()
@EventHandler(RUN_STATUS_OF_EVERY_TENANT, RunStatusEvent)
export class RunStatusHandler implements JetStreamEventHandler<RunStatusEvent> {
  constructor(
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly notifications: RecordNotificationService,
    private readonly channels: ChannelRouter,
  ) {}

  async handle(event: RunStatusEvent, { subject }: EventContext): Promise<HandlerOutcome> {
    // Progress has its own subject (evt.run.progress.v1), outside this consumer's filter.
    if (event.kind !== RunStatusEventKind.Transition) return Outcome.reject(`${event.kind} event on the status subject`);
    // The subject names the tenant; an event filed under another tenant's subject is not trusted.
    if (subject !== this.names.runStatusSubject(event.tenantId)) {
      return Outcome.reject(`event of tenant ${event.tenantId} on subject ${subject}`);
    }
    const created = await this.notifications.record(event);
    // Then the subscribed channels' outbox (one delivery per event and endpoint, however often this runs).
    const deliveries = await this.channels.route(event);
    this.logger.debug({ runId: event.runId, status: event.status, created, deliveries }, 'run transition notified');
    return Outcome.done();
  }
}

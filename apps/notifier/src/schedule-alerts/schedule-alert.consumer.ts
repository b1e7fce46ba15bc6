import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { SCHEDULE_ALERT_SUBJECT, ScheduleAlertEvent } from '@policyvault/contracts';
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

/** A second durable on the run-status stream (NATS 2.9: one filter subject per consumer), shared by every replica. */
export const SCHEDULE_ALERT_DURABLE = 'notifier-schedule-alerts';
const SCHEDULE_ALERT_OF_EVERY_TENANT = `${SCHEDULE_ALERT_SUBJECT}.>`;

export const SCHEDULE_ALERT_CONSUMER: EventConsumerDeclaration<NotifierConfig> = {
  durable: SCHEDULE_ALERT_DURABLE,
  stream: (names) => names.runStatusStream,
  filterSubject: (names) => names.scheduleAlertSubjects,
  subjects: [SCHEDULE_ALERT_OF_EVERY_TENANT],
  maxDeliver: 10,
  ackWaitMs: 30_000,
  config: NotifierConfig,
  concurrency: (config) => config.RUN_STATUS_CONCURRENCY,
};

/** A skipped slot or a failing schedule becomes deliveries to the channels subscribed to it (no in-app notification). */
@Injectable()
@EventHandler(SCHEDULE_ALERT_OF_EVERY_TENANT, ScheduleAlertEvent)
export class ScheduleAlertHandler implements JetStreamEventHandler<ScheduleAlertEvent> {
  constructor(
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly channels: ChannelRouter,
  ) {}

  async handle(event: ScheduleAlertEvent, { subject }: EventContext): Promise<HandlerOutcome> {
    // The subject names the tenant; an alert filed under another tenant's subject is not trusted.
    if (subject !== this.names.scheduleAlertSubject(event.tenantId)) return Outcome.reject(`alert of tenant ${event.tenantId} on subject ${subject}`);
    const deliveries = await this.channels.routeScheduleAlert(event);
    this.logger.debug({ scheduleId: event.scheduleId, kind: event.kind, deliveries }, 'schedule alert routed');
    return Outcome.done();
  }
}

import { SetMetadata } from '@nestjs/common';
import type { HandlerOutcome } from '../jetstream/handler-outcome.js';

export const EVENT_HANDLER_METADATA = 'policyvault:event-handler';

export interface EventHandlerMetadata {
  /** The subject without namespace (`evt.worker.run-started.v1`); NATS wildcards allowed (`evt.run.status.v1.>`). */
  subject: string;
  /** The contract class every event is validated against before the handler sees it. */
  message: new () => object;
}

/**
 * Marks a provider as the one handler of a JetStream event subject; found at boot by the
 * EventConsumer whose declaration lists that subject (see EventConsumerModule).
 */
export const EventHandler = (subject: string, message: new () => object): ClassDecorator =>
  SetMetadata(EVENT_HANDLER_METADATA, { subject, message } satisfies EventHandlerMetadata);

export interface EventContext {
  /** The subject the event arrived on, with namespace (`pv.evt.run.status.v1.<tenant>`). */
  subject: string;
  /** 1 on first delivery; higher when JetStream redelivers (crash, nak, ack timeout). */
  deliveryCount: number;
}

/**
 * One handler per event subject, given the validated event. Expected situations come back as
 * outcomes (done, retry later, reject); a throw is a retry with backoff, bounded by max_deliver.
 */
export interface JetStreamEventHandler<T extends object = object> {
  handle(event: T, context: EventContext): Promise<HandlerOutcome>;
}

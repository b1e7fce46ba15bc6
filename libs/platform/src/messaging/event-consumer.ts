import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import type { JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import type { JetStreamNames } from '@policyvault/contracts';
import { Outcome, type HandlerOutcome } from '../jetstream/handler-outcome.js';
import { JetStreamPullConsumer } from '../jetstream/jetstream-pull-consumer.js';
import { JETSTREAM, JETSTREAM_MANAGER, JETSTREAM_NAMES, NATS_CONNECTION, type JetStreamClient, type JetStreamManager, type NatsConnection } from '../nats/nats.module.js';
import { LOGGER } from '../platform.module.js';
import { RejectedMessageRecorder } from '../rejected-messages/rejected-message.recorder.js';
import { validateMessage } from '../validation/validate-message.js';
import { EVENT_HANDLER_METADATA, type EventHandlerMetadata } from './event-handler.decorator.js';
import { bindEventHandlers, type DiscoveredEventHandler, type RegisteredEventHandler } from './event-handler.registry.js';
import { subjectMatches } from './subject-matches.js';
import { annotateRun } from '../tracing/spans.js';

export const EVENT_CONSUMER_OPTIONS = Symbol('EVENT_CONSUMER_OPTIONS');

/** A durable JetStream consumer of events, as a service declares it (see EventConsumerModule.register). */
export interface EventConsumerOptions {
  /** Durable consumer name, shared by every replica of the service: they split the events. */
  durable: string;
  stream: (names: JetStreamNames) => string;
  /** NATS 2.9 allows one filter subject per consumer. */
  filterSubject: (names: JetStreamNames) => string;
  /** The subjects (without namespace) this consumer reads; each must have exactly one @EventHandler. */
  subjects: readonly string[];
  maxDeliver: number;
  ackWaitMs: number;
  /** Events handled at once by this process. */
  concurrency: number;
}

/**
 * The one JetStream event consumer: finds the @EventHandler of each declared subject at boot (and
 * refuses to start when one is missing, doubled or stray), validates each event against its
 * contract class, and lets the pull consumer ack, nak or term; rejected and exhausted events are
 * recorded in the service's `rejected_messages`. Shutdown lets in-flight events settle.
 */
@Injectable()
export class EventConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private handlers: RegisteredEventHandler[] = [];
  private consumer?: JetStreamPullConsumer;

  constructor(
    @Inject(EVENT_CONSUMER_OPTIONS) readonly options: EventConsumerOptions,
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly manager: JetStreamManager,
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly rejected: RejectedMessageRecorder,
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.handlers = this.bindHandlers();
    this.consumer = new JetStreamPullConsumer(
      this.js,
      this.manager,
      this.connection,
      {
        stream: this.options.stream(this.names),
        durable: this.options.durable,
        filterSubject: this.options.filterSubject(this.names),
        maxDeliver: this.options.maxDeliver,
        ackWaitMs: this.options.ackWaitMs,
        concurrency: this.options.concurrency,
      },
      { handle: (message) => this.handle(message), onDropped: (message) => this.rejected.record(message) },
      this.logger,
    );
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  private bindHandlers(): RegisteredEventHandler[] {
    const providers = this.discovery.getProviders();
    // Every consumer of this service, so that a handler no consumer reads is found by each of them.
    const declared = new Set(
      providers.flatMap((wrapper) => (wrapper.instance instanceof EventConsumer ? wrapper.instance.options.subjects : [])),
    );
    const discovered: DiscoveredEventHandler[] = [];
    for (const wrapper of providers) {
      const metadata = wrapper.metatype ? this.reflector.get<EventHandlerMetadata | undefined>(EVENT_HANDLER_METADATA, wrapper.metatype) : undefined;
      if (metadata) discovered.push({ ...metadata, name: String(wrapper.name), instance: wrapper.instance });
    }
    return bindEventHandlers(
      { ...this.options, filterSubject: this.options.filterSubject(this.names), subject: this.names.subject },
      declared,
      discovered,
    );
  }

  private async handle(message: JsMsg): Promise<HandlerOutcome> {
    let payload: unknown;
    try {
      payload = message.json();
    } catch {
      return Outcome.reject('payload is not JSON');
    }
    const handler = this.handlers.find((candidate) => subjectMatches(candidate.wireSubject, message.subject));
    if (!handler) return Outcome.reject(`no handler for subject ${message.subject}`);
    const event = validateMessage(handler.message, payload);
    if (!event.ok) return Outcome.reject(`invalid event: ${event.problems.join('; ')}`);
    annotateRun(event.value);
    return handler.instance.handle(event.value, { subject: message.subject, deliveryCount: message.info.deliveryCount });
  }
}

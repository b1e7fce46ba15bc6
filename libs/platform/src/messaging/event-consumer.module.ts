import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { RejectedMessageRecorder } from '../rejected-messages/rejected-message.recorder.js';
import { EVENT_CONSUMER_OPTIONS, EventConsumer, type EventConsumerOptions } from './event-consumer.js';

const DEFAULTS = { ackWaitMs: 30_000 };
// A value provider (not only a factory closure) so that two consumers of one service stay two modules.
const EVENT_CONSUMER_DECLARATION = Symbol('EVENT_CONSUMER_DECLARATION');

/** How a service declares one event consumer; its concurrency (and ack wait, when given so) come from the service's config. */
export type EventConsumerDeclaration<C> = Omit<EventConsumerOptions, 'concurrency' | 'ackWaitMs'> & {
  config: Type<C>;
  concurrency: (config: C) => number;
  ackWaitMs?: number | ((config: C) => number);
};

@Module({})
export class EventConsumerModule {
  /** One durable consumer; its handlers are the @EventHandler providers of the service's modules. */
  static register<C>({ config, concurrency, ...options }: EventConsumerDeclaration<C>): DynamicModule {
    return {
      module: EventConsumerModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: EVENT_CONSUMER_DECLARATION, useValue: options },
        {
          provide: EVENT_CONSUMER_OPTIONS,
          inject: [EVENT_CONSUMER_DECLARATION, config],
          useFactory: ({ ackWaitMs = DEFAULTS.ackWaitMs, ...declared }: typeof options, values: C): EventConsumerOptions => ({
            ...declared,
            concurrency: concurrency(values),
            ackWaitMs: typeof ackWaitMs === 'function' ? ackWaitMs(values) : ackWaitMs,
          }),
        },
        RejectedMessageRecorder,
        EventConsumer,
      ],
    };
  }
}

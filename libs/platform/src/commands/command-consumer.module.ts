import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import {
  COMMAND_CONSUMER_OPTIONS,
  CommandConsumer,
  REJECTED_COMMAND_RECORDER,
  type CommandConsumerOptions,
} from './command-consumer.js';

const DEFAULTS = { concurrency: 4, maxDeliver: 50, ackWaitMs: 15_000, shutdownGraceMs: 10_000 };

@Module({})
export class CommandConsumerModule {
  /**
   * @param recorder a provider (class) implementing RejectedCommandRecorder, writing to the worker's
   *   own table; it must be resolvable in the importing module's scope (export it from a global or
   *   list it here).
   */
  static register(
    options: Pick<CommandConsumerOptions, 'durable' | 'filterSubject'> & Partial<CommandConsumerOptions>,
    recorder: Provider & { provide?: unknown },
  ): DynamicModule {
    return {
      module: CommandConsumerModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: COMMAND_CONSUMER_OPTIONS, useValue: { ...DEFAULTS, ...options } },
        recorder,
        { provide: REJECTED_COMMAND_RECORDER, useExisting: typeof recorder === 'function' ? recorder : recorder.provide },
        CommandConsumer,
      ],
    };
  }
}

import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { jetStreamNames, type JetStreamNames } from '@policyvault/contracts';
import { CommonConfig } from '../config/common.config.js';
import { LOGGER } from '../platform.module.js';
import { SERVICE_NAME } from '../service-name.js';
import { waitForDependency } from '../startup/wait-for-dependency.js';
import { ensureStreams } from './jetstream-streams.js';
import { isTransientJetStreamError } from '../jetstream/jetstream-pull-consumer.js';
import { connectNats } from './nats-connection.js';

export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const JETSTREAM = Symbol('JETSTREAM');
export const JETSTREAM_MANAGER = Symbol('JETSTREAM_MANAGER');
export { type JetStreamNames };
export const JETSTREAM_NAMES = Symbol('JETSTREAM_NAMES');

@Injectable()
class NatsConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(NATS_CONNECTION) private readonly connection: NatsConnection) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.connection.isClosed()) await this.connection.drain().catch(() => this.connection.close());
  }
}

/**
 * One NATS connection per service process (JetStream and core NATS share it), the namespaced
 * stream/subject names, and the streams themselves (ensured at boot, NATS_STREAM_REPLICAS replicas).
 * Both wait (waitForDependency) while NATS or JetStream does not answer; only a stream configuration
 * the server refuses (a 4xx API error, e.g. replicas on a single server) stops the boot.
 */
@Global()
@Module({
  providers: [
    {
      provide: NATS_CONNECTION,
      inject: [CommonConfig, SERVICE_NAME, LOGGER],
      useFactory: (config: CommonConfig, service: string, logger: Logger) => connectNats(config, service, logger),
    },
    {
      provide: JETSTREAM_NAMES,
      inject: [CommonConfig],
      useFactory: (config: CommonConfig) => jetStreamNames(config.NATS_NAMESPACE),
    },
    {
      provide: JETSTREAM_MANAGER,
      inject: [NATS_CONNECTION, JETSTREAM_NAMES, CommonConfig, LOGGER],
      useFactory: (connection: NatsConnection, names: JetStreamNames, config: CommonConfig, logger: Logger) =>
        waitForDependency(
          'jetstream',
          async () => {
            const manager = await jetstreamManager(connection);
            await ensureStreams(manager, names, { replicas: config.NATS_STREAM_REPLICAS });
            return manager;
          },
          logger,
          { retryable: isTransientJetStreamError },
        ),
    },
    {
      provide: JETSTREAM,
      inject: [NATS_CONNECTION, JETSTREAM_MANAGER],
      useFactory: (connection: NatsConnection) => jetstream(connection),
    },
    NatsConnectionCloser,
  ],
  exports: [NATS_CONNECTION, JETSTREAM, JETSTREAM_MANAGER, JETSTREAM_NAMES],
})
export class NatsModule {}

export type { JetStreamClient, JetStreamManager, NatsConnection };

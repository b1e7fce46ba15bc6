import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { jetStreamNames, type JetStreamNames } from '@policyvault/contracts';
import { CommonConfig } from '../config/common.config.js';
import { SERVICE_NAME } from '../service-name.js';
import { ensureStreams } from './jetstream-streams.js';
import { natsAuthOptions } from './nats-auth.js';

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
 * stream/subject names, and the streams themselves (ensured at boot).
 */
@Global()
@Module({
  providers: [
    {
      provide: NATS_CONNECTION,
      inject: [CommonConfig, SERVICE_NAME],
      useFactory: (config: CommonConfig, service: string) =>
        connect({ servers: config.NATS_URL, name: service, maxReconnectAttempts: -1, reconnectTimeWait: 500, ...natsAuthOptions(config) }),
    },
    {
      provide: JETSTREAM_NAMES,
      inject: [CommonConfig],
      useFactory: (config: CommonConfig) => jetStreamNames(config.NATS_NAMESPACE),
    },
    {
      provide: JETSTREAM_MANAGER,
      inject: [NATS_CONNECTION, JETSTREAM_NAMES],
      useFactory: async (connection: NatsConnection, names: JetStreamNames) => {
        const manager = await jetstreamManager(connection);
        await ensureStreams(manager, names);
        return manager;
      },
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

import { Global, Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { JetStreamNames } from '@policyvault/contracts';
import { GraphClientFactory, GraphWorkerConfig, createGraphClientFactoryFromConfig, createSecretCipherFromConfig } from '@policyvault/graph';
import { CommandConsumerModule, RejectedMessageRecorder, SecretCipher } from '@policyvault/platform';
import { JobRunner } from './job-runner.js';

export interface WorkerOptions {
  /** The durable consumer's name, shared by every replica of the worker (its service name). */
  durable: string;
  /** The worker's slice of the command stream (`names.captureCommandFilter`…). */
  commands: (names: JetStreamNames) => string;
}

@Injectable()
class GraphClientFactoryCloser implements OnApplicationShutdown {
  constructor(@Inject(GraphClientFactory) private readonly factory: GraphClientFactory) {}

  onApplicationShutdown(): void {
    this.factory.close();
  }
}

/**
 * Everything a Graph worker needs to run commands: the command consumer (its settings from the
 * worker's validated config, dropped commands kept by the rejected-message recorder), the process's one
 * Graph client factory (per-tenant tokens, pacers and circuit breakers live in it, shared by every run
 * of a tenant, read-only or not), the secret cipher (encrypted values captured from Graph, keys from
 * the worker's config) and the job runner that every @CommandHandler injects. Global: feature modules
 * get JobRunner, GraphClientFactory and SecretCipher without importing anything.
 */
@Global()
@Module({})
export class WorkerModule {
  static forWorker(config: GraphWorkerConfig, options: WorkerOptions): DynamicModule {
    const providers = [
      { provide: GraphWorkerConfig, useValue: config },
      { provide: GraphClientFactory, useFactory: () => createGraphClientFactoryFromConfig(config) },
      { provide: SecretCipher, useFactory: () => secretCipher(config) },
      JobRunner,
    ];
    return {
      module: WorkerModule,
      imports: [
        CommandConsumerModule.register(
          {
            durable: options.durable,
            filterSubject: options.commands,
            concurrency: config.COMMAND_CONCURRENCY,
            ackWaitMs: config.COMMAND_ACK_WAIT_MS,
            maxDeliver: config.COMMAND_MAX_DELIVER,
            shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
          },
          RejectedMessageRecorder,
        ),
      ],
      providers: [...providers, GraphClientFactoryCloser],
      exports: [GraphWorkerConfig, GraphClientFactory, SecretCipher, JobRunner],
    };
  }
}

function secretCipher(config: GraphWorkerConfig): SecretCipher {
  const cipher = createSecretCipherFromConfig(config);
  if (cipher.usesDevelopmentKey) new Logger('WorkerModule').warn('secret values are encrypted with the local development key (Graph emulator only)');
  return cipher;
}

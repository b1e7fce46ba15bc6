import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { GraphClientFactory, createGraphClientFactoryFromConfig } from '@policyvault/graph';
import { RestoreWorkerConfig } from '../restore-worker.config.js';

@Injectable()
class GraphClientFactoryCloser implements OnApplicationShutdown {
  constructor(@Inject(GraphClientFactory) private readonly factory: GraphClientFactory) {}

  onApplicationShutdown(): void {
    this.factory.close();
  }
}

/**
 * The process's one Graph client factory: per-tenant tokens, pacing (the write budget) and circuit
 * breakers live in it, shared by previews (read-only clients) and restores of the same tenant.
 */
@Module({
  providers: [
    { provide: GraphClientFactory, inject: [RestoreWorkerConfig], useFactory: createGraphClientFactoryFromConfig },
    GraphClientFactoryCloser,
  ],
  exports: [GraphClientFactory],
})
export class GraphModule {}

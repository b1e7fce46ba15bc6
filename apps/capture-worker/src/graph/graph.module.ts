import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { GraphClientFactory, createGraphClientFactoryFromConfig } from '@policyvault/graph';
import { CaptureWorkerConfig } from '../capture-worker.config.js';

@Injectable()
class GraphClientFactoryCloser implements OnApplicationShutdown {
  constructor(@Inject(GraphClientFactory) private readonly factory: GraphClientFactory) {}

  onApplicationShutdown(): void {
    this.factory.close();
  }
}

/** The process's one Graph client factory: per-tenant tokens, pacing and circuit breakers live in it. */
@Module({
  providers: [
    { provide: GraphClientFactory, inject: [CaptureWorkerConfig], useFactory: createGraphClientFactoryFromConfig },
    GraphClientFactoryCloser,
  ],
  exports: [GraphClientFactory],
})
export class GraphModule {}

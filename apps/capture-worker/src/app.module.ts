import { Module, type DynamicModule } from '@nestjs/common';
import { DatabaseModule, HealthModule, NatsModule, PlatformModule } from '@policyvault/platform';
import { CaptureWorkerConfig } from './capture-worker.config.js';

@Module({})
export class AppModule {
  static register(config: CaptureWorkerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService('capture-worker', CaptureWorkerConfig, config),
        NatsModule,
        DatabaseModule.forService({ schema: 'capture_worker', entities: [], migrations: [] }),
        HealthModule.register({ database: true }),
      ],
    };
  }
}

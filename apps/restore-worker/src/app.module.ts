import { Module, type DynamicModule } from '@nestjs/common';
import { DatabaseModule, HealthModule, NatsModule, PlatformModule } from '@policyvault/platform';
import { RestoreWorkerConfig } from './restore-worker.config.js';

@Module({})
export class AppModule {
  static register(config: RestoreWorkerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService('restore-worker', RestoreWorkerConfig, config),
        NatsModule,
        DatabaseModule.forService({ schema: 'restore_worker', entities: [], migrations: [] }),
        HealthModule.register({ database: true }),
      ],
    };
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { DatabaseModule, HealthModule, NatsModule, PlatformModule } from '@policyvault/platform';
import { NotifierConfig } from './notifier.config.js';

@Module({})
export class AppModule {
  static register(config: NotifierConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService('notifier', NotifierConfig, config),
        NatsModule,
        DatabaseModule.forService({ schema: 'notifier', entities: [], migrations: [] }),
        HealthModule.register({ database: true }),
      ],
    };
  }
}

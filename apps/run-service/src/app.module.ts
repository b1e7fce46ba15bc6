import { Module, type DynamicModule } from '@nestjs/common';
import { DatabaseModule, HealthModule, NatsModule, PlatformModule } from '@policyvault/platform';
import { RUN_SERVICE_DATABASE } from './database/run-service.schema.js';
import { FleetModule } from './fleet/fleet.module.js';
import { RunServiceConfig } from './run-service.config.js';
import { RunsModule } from './runs/runs.module.js';
import { SchedulesModule } from './schedules/schedules.module.js';

@Module({})
export class AppModule {
  static register(config: RunServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService('run-service', RunServiceConfig, config),
        NatsModule,
        DatabaseModule.forService(RUN_SERVICE_DATABASE),
        HealthModule.register({ database: true }),
        RunsModule,
        SchedulesModule,
        FleetModule,
      ],
    };
  }
}

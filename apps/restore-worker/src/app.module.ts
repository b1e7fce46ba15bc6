import { Module, type DynamicModule } from '@nestjs/common';
import { DatabaseModule, HealthModule, NatsModule, PlatformModule } from '@policyvault/platform';
import { WorkerModule } from '@policyvault/worker-runtime';
import { RESTORE_DATABASE } from './database/restore.schema.js';
import { DriftModule } from './drift/drift.module.js';
import { ExecuteModule } from './execute/execute.module.js';
import { PreviewModule } from './preview/preview.module.js';
import { RestoreWorkerConfig } from './restore-worker.config.js';

@Module({})
export class AppModule {
  static register(config: RestoreWorkerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService('restore-worker', RestoreWorkerConfig, config),
        NatsModule,
        DatabaseModule.forService(RESTORE_DATABASE),
        HealthModule.register({ database: true }),
        // Consumes <ns>.cmd.restore.> and dispatches each command to its @CommandHandler.
        WorkerModule.forWorker(config, { durable: 'restore-worker', commands: (names) => names.restoreCommandFilter }),
        PreviewModule,
        ExecuteModule,
        DriftModule,
      ],
    };
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { DatabaseModule, HealthModule, NatsModule, PlatformModule, TenantPurgeModule } from '@policyvault/platform';
import { WorkerModule } from '@policyvault/worker-runtime';
import { RESTORE_DATABASE } from './database/restore.schema.js';
import { DriftItemEntity } from './drift/drift-item.entity.js';
import { DriftReportEntity } from './drift/drift-report.entity.js';
import { DriftModule } from './drift/drift.module.js';
import { ExecutedItemEntity } from './execute/executed-item.entity.js';
import { ExecuteModule } from './execute/execute.module.js';
import { PreviewItemEntity } from './preview/preview-item.entity.js';
import { PreviewEntity } from './preview/preview.entity.js';
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
        // A removed tenant's previews, executed items and drift reports, after its retention (items first).
        // A preview in another tenant restoring from this one's backups is that tenant's: kept.
        TenantPurgeModule.register({
          service: 'restore-worker',
          config: RestoreWorkerConfig,
          entities: [PreviewItemEntity, PreviewEntity, ExecutedItemEntity, DriftItemEntity, DriftReportEntity],
        }),
      ],
    };
  }
}

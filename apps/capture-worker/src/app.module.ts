import { Module, type DynamicModule } from '@nestjs/common';
import { AccessModule } from './access/access.module.js';
import { DatabaseModule, HealthModule, NatsModule, PlatformModule, TenantPurgeModule } from '@policyvault/platform';
import { WorkerModule } from '@policyvault/worker-runtime';
import { BackupSetsModule } from './backup-sets/backup-sets.module.js';
import { CaptureModule } from './capture/capture.module.js';
import { CaptureWorkerConfig } from './capture-worker.config.js';
import { CAPTURE_DATABASE } from './database/capture.schema.js';
import { ImportsModule } from './imports/imports.module.js';
import { InventoryModule } from './inventory/inventory.module.js';
import { BackupStoreRpcModule } from './backup-store-api/backup-store-rpc.module.js';
import { SchedulesModule } from './schedules/schedules.module.js';
import { BackupSetSelectionEntity } from './store/backup-set-selection.entity.js';
import { BackupItemEntity } from './store/backup-item.entity.js';
import { BackupSetEntity } from './store/backup-set.entity.js';
import { PolicyVersionEntity } from './store/policy-version.entity.js';
import { PolicyEntity } from './store/policy.entity.js';
import { DocumentationModule } from './documentation/documentation.module.js';
import { SettingDefinitionEntity } from './documentation/setting-definition.entity.js';

@Module({})
export class AppModule {
  static register(config: CaptureWorkerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService('capture-worker', CaptureWorkerConfig, config),
        NatsModule,
        DatabaseModule.forService(CAPTURE_DATABASE),
        HealthModule.register({ database: true }),
        // Consumes <ns>.cmd.capture.> and dispatches each command to its @CommandHandler.
        WorkerModule.forWorker(config, { durable: 'capture-worker', commands: (names) => names.captureCommandFilter }),
        CaptureModule,
        InventoryModule,
        BackupSetsModule,
        SchedulesModule,
        AccessModule,
        ImportsModule,
        BackupStoreRpcModule,
        DocumentationModule,
        // A removed tenant's backup store, after its retention: items before their sets and versions
        // (policies.latest_version_id is checked at commit).
        TenantPurgeModule.register({
          service: 'capture-worker',
          config: CaptureWorkerConfig,
          entities: [BackupItemEntity, BackupSetSelectionEntity, BackupSetEntity, PolicyVersionEntity, PolicyEntity, SettingDefinitionEntity],
        }),
      ],
    };
  }
}

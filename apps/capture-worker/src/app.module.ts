import { Module, type DynamicModule } from '@nestjs/common';
import { CommandConsumerModule, DatabaseModule, HealthModule, NatsModule, PlatformModule, RejectedMessageRecorder } from '@policyvault/platform';
import { BackupSetsModule } from './backup-sets/backup-sets.module.js';
import { CaptureModule } from './capture/capture.module.js';
import { CaptureWorkerConfig } from './capture-worker.config.js';
import { CAPTURE_DATABASE } from './database/capture.schema.js';
import { InventoryModule } from './inventory/inventory.module.js';
import { BackupStoreRpcModule } from './rpc/backup-store-rpc.module.js';
import { SchedulesModule } from './schedules/schedules.module.js';

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
        CaptureModule,
        InventoryModule,
        BackupSetsModule,
        SchedulesModule,
        BackupStoreRpcModule,
        // Consumes <ns>.cmd.capture.> and dispatches each command to its @CommandHandler.
        CommandConsumerModule.register(
          {
            durable: 'capture-worker',
            filterSubject: (names) => names.captureCommandFilter,
            concurrency: config.COMMAND_CONCURRENCY,
            ackWaitMs: config.COMMAND_ACK_WAIT_MS,
            maxDeliver: config.COMMAND_MAX_DELIVER,
            shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
          },
          RejectedMessageRecorder,
        ),
      ],
    };
  }
}

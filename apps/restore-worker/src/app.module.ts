import { Module, type DynamicModule } from '@nestjs/common';
import { CommandConsumerModule, DatabaseModule, HealthModule, NatsModule, PlatformModule, RejectedMessageRecorder } from '@policyvault/platform';
import { RESTORE_DATABASE } from './database/restore.schema.js';
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
        PreviewModule,
        ExecuteModule,
        // Consumes <ns>.cmd.restore.> and dispatches each command to its @CommandHandler.
        CommandConsumerModule.register(
          {
            durable: 'restore-worker',
            filterSubject: (names) => names.restoreCommandFilter,
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

import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { RpcModule } from '../rpc/rpc.module.js';
import { TenantAccessModule } from '../tenants/tenant-access.module.js';
import { BackupScheduleClient } from './backup-schedule.client.js';
import { BackupSchedulesController } from './backup-schedules.controller.js';

@Module({
  imports: [TenantAccessModule, RpcModule, IdempotencyModule],
  controllers: [BackupSchedulesController],
  providers: [BackupScheduleClient],
  exports: [BackupScheduleClient],
})
export class SchedulesModule {}

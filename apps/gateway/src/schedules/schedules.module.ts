import { Module } from '@nestjs/common';
import { RpcModule } from '../rpc/rpc.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { BackupScheduleClient } from './backup-schedule.client.js';
import { BackupSchedulesController } from './backup-schedules.controller.js';

@Module({
  imports: [TenantsModule, RpcModule],
  controllers: [BackupSchedulesController],
  providers: [BackupScheduleClient],
})
export class SchedulesModule {}

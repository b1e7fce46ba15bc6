import { Module } from '@nestjs/common';
import { RunsModule } from '../runs/runs.module.js';
import { BackupScheduleRepository } from './backup-schedule.repository.js';
import { BackupSchedulesService } from './backup-schedules.service.js';
import { ScheduleDispatcher } from './schedule-dispatcher.service.js';
import { ScheduleRpcController } from './schedule-rpc.controller.js';
import { DispatcherClock } from './dispatcher-clock.js';
import { TenantPurgeService } from '../tenants/tenant-purge.service.js';
import { TenantRemovalService } from '../tenants/tenant-removal.service.js';
import { TenantRpcController } from '../tenants/tenant-rpc.controller.js';

// The tenant lifecycle lives here because its two jobs need the schedules (pausing them) and the
// scheduler's tick (the purge after the retention).

@Module({
  imports: [RunsModule],
  controllers: [ScheduleRpcController, TenantRpcController],
  providers: [BackupScheduleRepository, BackupSchedulesService, ScheduleDispatcher, DispatcherClock, TenantRemovalService, TenantPurgeService],
})
export class SchedulesModule {}

import { Module } from '@nestjs/common';
import { RunsModule } from '../runs/runs.module.js';
import { BackupSchedulesService } from './backup-schedules.service.js';
import { ScheduleDispatcher } from './schedule-dispatcher.service.js';
import { ScheduleRpcController } from './schedule-rpc.controller.js';
import { SchedulerClock } from './scheduler-clock.js';

@Module({
  imports: [RunsModule],
  controllers: [ScheduleRpcController],
  providers: [BackupSchedulesService, ScheduleDispatcher, SchedulerClock],
})
export class SchedulesModule {}

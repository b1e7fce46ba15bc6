import { Module } from '@nestjs/common';
import { RunsModule } from '../runs/runs.module.js';
import { BackupScheduleRepository } from './backup-schedule.repository.js';
import { BackupSchedulesService } from './backup-schedules.service.js';
import { ScheduleDispatcher } from './schedule-dispatcher.service.js';
import { ScheduleRpcController } from './schedule-rpc.controller.js';
import { DispatcherClock } from './dispatcher-clock.js';

@Module({
  imports: [RunsModule],
  controllers: [ScheduleRpcController],
  providers: [BackupScheduleRepository, BackupSchedulesService, ScheduleDispatcher, DispatcherClock],
})
export class SchedulesModule {}

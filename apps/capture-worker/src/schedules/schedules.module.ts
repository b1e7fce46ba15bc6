import { Module } from '@nestjs/common';
import { CaptureModule } from '../capture/capture.module.js';
import { BackupScheduleRunHandler } from './backup-schedule-run.handler.js';

@Module({
  imports: [CaptureModule],
  providers: [BackupScheduleRunHandler],
})
export class SchedulesModule {}

import { Module } from '@nestjs/common';
import { BackupSetsModule } from '../backup-sets/backup-sets.module.js';
import { StoreModule } from '../store/store.module.js';
import { BackupScheduleRunHandler } from './backup-schedule-run.handler.js';
import { ScheduleRetentionService } from './schedule-retention.service.js';

@Module({
  imports: [StoreModule, BackupSetsModule],
  providers: [ScheduleRetentionService, BackupScheduleRunHandler],
})
export class SchedulesModule {}

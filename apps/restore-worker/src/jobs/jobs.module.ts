import { Module } from '@nestjs/common';
import { BackupStoreModule } from '../backup-store/backup-store.module.js';
import { RestorePlanner } from '../planning/restore-planner.js';
import { SecretValues } from '../planning/secret-values.js';
import { RestoreJobs } from './restore-job.js';

/** What both restore handlers share (the job runner itself comes from the global WorkerModule). */
@Module({
  imports: [BackupStoreModule],
  providers: [RestoreJobs, RestorePlanner, SecretValues],
  exports: [RestoreJobs, RestorePlanner, SecretValues, BackupStoreModule],
})
export class JobsModule {}

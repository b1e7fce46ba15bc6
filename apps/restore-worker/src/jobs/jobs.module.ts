import { Module } from '@nestjs/common';
import { BackupStoreModule } from '../backup-store/backup-store.module.js';
import { GraphModule } from '../graph/graph.module.js';
import { RestorePlanner } from '../planning/restore-planner.js';
import { JobRunner } from './job-runner.js';

/** What both restore handlers share: the job frame, Graph, the backup store and the planner. */
@Module({
  imports: [GraphModule, BackupStoreModule],
  providers: [JobRunner, RestorePlanner],
  exports: [JobRunner, RestorePlanner, BackupStoreModule],
})
export class JobsModule {}

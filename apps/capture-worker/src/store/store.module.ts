import { Module } from '@nestjs/common';
import { BackupSetSelectionsRepository } from './backup-set-selections.repository.js';
import { BackupSetsRepository } from './backup-sets.repository.js';
import { PoliciesRepository } from './policies.repository.js';
import { PolicyListEntriesRepository } from './policy-list-entries.repository.js';
import { PolicyVersionsRepository } from './policy-versions.repository.js';
import { ScheduleRetentionRepository } from './schedule-retention.repository.js';

/** The backup store's write side (capture-worker is its only writer; others read it through BackupStoreRpc). */
@Module({
  providers: [PoliciesRepository, PolicyVersionsRepository, BackupSetsRepository, BackupSetSelectionsRepository, ScheduleRetentionRepository, PolicyListEntriesRepository],
  exports: [PoliciesRepository, PolicyVersionsRepository, BackupSetsRepository, BackupSetSelectionsRepository, ScheduleRetentionRepository, PolicyListEntriesRepository],
})
export class StoreModule {}

import { Module } from '@nestjs/common';
import { BackupSetsRepository } from './backup-sets.repository.js';
import { PoliciesRepository } from './policies.repository.js';
import { PolicyVersionsRepository } from './policy-versions.repository.js';

/** The backup store's write side (capture-worker is its only writer; others read it through BackupStoreRpc). */
@Module({
  providers: [PoliciesRepository, PolicyVersionsRepository, BackupSetsRepository],
  exports: [PoliciesRepository, PolicyVersionsRepository, BackupSetsRepository],
})
export class StoreModule {}

import { Module } from '@nestjs/common';
import { ImportUploads } from '@policyvault/platform';
import { StoreModule } from '../store/store.module.js';
import { BackupSetImportHandler } from './backup-set-import.handler.js';
import { ImportedPoliciesRepository } from './imported-policies.repository.js';
import { ImportedSecrets } from './imported-secrets.js';

/** `backup_set.import`: uploaded archives of other tools (and PolicyVault's export) into backup sets. */
@Module({
  imports: [StoreModule],
  providers: [ImportUploads, ImportedPoliciesRepository, ImportedSecrets, BackupSetImportHandler],
})
export class ImportsModule {}

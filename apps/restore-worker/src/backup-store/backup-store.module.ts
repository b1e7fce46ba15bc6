import { Module } from '@nestjs/common';
import { BackupStoreClient } from './backup-store.client.js';

@Module({
  providers: [BackupStoreClient],
  exports: [BackupStoreClient],
})
export class BackupStoreModule {}

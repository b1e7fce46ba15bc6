import { Module } from '@nestjs/common';
import { BackupStoreController } from './backup-store.controller.js';
import { BackupStoreQueriesService } from './backup-store-queries.service.js';

@Module({
  controllers: [BackupStoreController],
  providers: [BackupStoreQueriesService],
})
export class BackupStoreRpcModule {}

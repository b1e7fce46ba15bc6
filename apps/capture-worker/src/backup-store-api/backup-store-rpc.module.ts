import { Module } from '@nestjs/common';
import { BackupStoreController } from './backup-store.controller.js';
import { BackupStoreQueriesService } from './backup-store-queries.service.js';
import { PolicyVersionCompareService } from './policy-version-compare.service.js';

@Module({
  controllers: [BackupStoreController],
  providers: [BackupStoreQueriesService, PolicyVersionCompareService],
})
export class BackupStoreRpcModule {}

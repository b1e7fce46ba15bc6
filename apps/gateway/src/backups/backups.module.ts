import { Module } from '@nestjs/common';
import { RpcModule } from '../rpc/rpc.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { BackupSetsController } from './backup-sets.controller.js';
import { BackupStoreClient } from './backup-store.client.js';
import { PoliciesController } from './policies.controller.js';

/** Read-only routes over the backup store; captures and restores are started as runs (runs/). */
@Module({
  imports: [TenantsModule, RpcModule],
  controllers: [PoliciesController, BackupSetsController],
  providers: [BackupStoreClient],
})
export class BackupsModule {}

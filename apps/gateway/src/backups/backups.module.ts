import { Module } from '@nestjs/common';
import { RpcModule } from '../rpc/rpc.module.js';
import { TenantAccessModule } from '../tenants/tenant-access.module.js';
import { BackupSetExportService } from './backup-set-export.service.js';
import { BackupSetsController } from './backup-sets.controller.js';
import { BackupStoreClient } from './backup-store.client.js';
import { PoliciesController } from './policies.controller.js';
import { BackupSetReportController } from './documentation/backup-set-report.controller.js';
import { BackupSetReportService } from './documentation/backup-set-report.service.js';

/** Read-only routes over the backup store; captures and restores are started as runs (runs/). */
@Module({
  imports: [TenantAccessModule, RpcModule],
  controllers: [PoliciesController, BackupSetsController, BackupSetReportController],
  providers: [BackupStoreClient, BackupSetExportService, BackupSetReportService],
  exports: [BackupStoreClient],
})
export class BackupsModule {}

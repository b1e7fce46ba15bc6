import { Module } from '@nestjs/common';
import { ImportUploads } from '@policyvault/platform';
import { RunsModule } from '../runs/runs.module.js';
import { TenantAccessModule } from '../tenants/tenant-access.module.js';
import { ImportsController } from './imports.controller.js';

/** `POST /api/tenants/:tenantId/imports`: an archive streamed into the imports bucket, then a backup_set.import run. */
@Module({
  imports: [TenantAccessModule, RunsModule],
  controllers: [ImportsController],
  providers: [ImportUploads],
})
export class ImportsModule {}

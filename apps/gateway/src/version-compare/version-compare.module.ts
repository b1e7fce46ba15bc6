import { Module } from '@nestjs/common';
import { BackupsModule } from '../backups/backups.module.js';
import { RunsModule } from '../runs/runs.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { VersionCompareController } from './version-compare.controller.js';
import { VersionCompareService } from './version-compare.service.js';

/** Version compare of a policy's stored versions (the backup store computes it); the live side comes from a capture run. */
@Module({
  imports: [TenantsModule, BackupsModule, RunsModule],
  controllers: [VersionCompareController],
  providers: [VersionCompareService],
})
export class VersionCompareModule {}

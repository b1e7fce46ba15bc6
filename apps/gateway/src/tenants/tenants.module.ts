import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { RpcModule } from '../rpc/rpc.module.js';
import { RunsModule } from '../runs/runs.module.js';
import { AdminConsentLink } from './admin-consent-link.js';
import { BulkOnboardingService } from './bulk-onboarding.service.js';
import { DirectoryIdResolver } from './directory-id.resolver.js';
import { TenantAccessModule } from './tenant-access.module.js';
import { TenantController } from './tenant.controller.js';
import { TenantHealthReader } from './tenant-health.reader.js';
import { TenantLifecycleService } from './tenant-lifecycle.service.js';
import { TenantRepository } from './tenant.repository.js';
import { TenantsController } from './tenants.controller.js';

/** The tenant routes: listing with health, onboarding (one or a CSV), renaming, removal. */
@Module({
  imports: [TenantAccessModule, RpcModule, RunsModule, IdempotencyModule],
  controllers: [TenantsController, TenantController],
  providers: [TenantRepository, DirectoryIdResolver, AdminConsentLink, TenantHealthReader, TenantLifecycleService, BulkOnboardingService],
  exports: [TenantAccessModule, TenantHealthReader],
})
export class TenantsModule {}

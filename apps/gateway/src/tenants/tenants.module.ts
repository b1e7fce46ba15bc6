import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { TenantAccessGuard } from './tenant-access.guard.js';
import { TenantAccessService } from './tenant-access.service.js';
import { TenantDirectoryRepository } from './tenant-directory.repository.js';
import { TenantsController } from './tenants.controller.js';

@Module({
  imports: [AuthModule],
  controllers: [TenantsController],
  providers: [TenantDirectoryRepository, TenantAccessService, TenantAccessGuard],
  exports: [TenantAccessService, TenantAccessGuard, AuthModule],
})
export class TenantsModule {}

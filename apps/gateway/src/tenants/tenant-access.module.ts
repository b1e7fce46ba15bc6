import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { TenantAccessGuard } from './tenant-access.guard.js';
import { TenantAccessService } from './tenant-access.service.js';
import { TenantDirectoryRepository } from './tenant-directory.repository.js';

/**
 * Who may act in which tenant: the membership lookup (cached), its guard and the directory reads.
 * Every feature module with tenant routes imports this (not TenantAccessModule, which starts runs).
 */
@Module({
  imports: [AuthModule],
  providers: [TenantDirectoryRepository, TenantAccessService, TenantAccessGuard],
  exports: [TenantDirectoryRepository, TenantAccessService, TenantAccessGuard, AuthModule],
})
export class TenantAccessModule {}

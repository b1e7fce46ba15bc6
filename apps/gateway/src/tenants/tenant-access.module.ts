import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module.js';
import { OtherTenantInterceptor } from './other-tenant.interceptor.js';
import { TenantAccessGuard } from './tenant-access.guard.js';
import { TenantAccessService } from './tenant-access.service.js';
import { TenantDirectoryRepository } from './tenant-directory.repository.js';

/**
 * Who may act in which tenant: the membership lookup (cached), its guard, the directory reads, and
 * (for every route, as a global interceptor) what another tenant's id answers.
 * Every feature module with tenant routes imports this (not TenantAccessModule, which starts runs).
 */
@Module({
  imports: [AuthModule],
  providers: [TenantDirectoryRepository, TenantAccessService, TenantAccessGuard, { provide: APP_INTERCEPTOR, useClass: OtherTenantInterceptor }],
  exports: [TenantDirectoryRepository, TenantAccessService, TenantAccessGuard, AuthModule],
})
export class TenantAccessModule {}

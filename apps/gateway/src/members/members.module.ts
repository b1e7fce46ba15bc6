import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { TenantAccessModule } from '../tenants/tenant-access.module.js';
import { MemberDirectoryService } from './member-directory.service.js';
import { MembersController } from './members.controller.js';

@Module({
  imports: [TenantAccessModule, IdempotencyModule],
  controllers: [MembersController],
  providers: [MemberDirectoryService],
})
export class MembersModule {}

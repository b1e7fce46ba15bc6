import { Module } from '@nestjs/common';
import { RpcModule } from '../rpc/rpc.module.js';
import { TenantAccessModule } from '../tenants/tenant-access.module.js';
import { AuditEventsClient } from './audit-events.client.js';
import { AuditEventsController } from './audit-events.controller.js';

@Module({
  imports: [TenantAccessModule, RpcModule],
  controllers: [AuditEventsController],
  providers: [AuditEventsClient],
})
export class AuditModule {}

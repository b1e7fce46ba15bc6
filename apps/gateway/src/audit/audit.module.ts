import { Module } from '@nestjs/common';
import { RpcModule } from '../rpc/rpc.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { AuditEventsClient } from './audit-events.client.js';
import { AuditEventsController } from './audit-events.controller.js';

@Module({
  imports: [TenantsModule, RpcModule],
  controllers: [AuditEventsController],
  providers: [AuditEventsClient],
})
export class AuditModule {}

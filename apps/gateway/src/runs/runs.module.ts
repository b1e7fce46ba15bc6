import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { RpcModule } from '../rpc/rpc.module.js';
import { TenantAccessModule } from '../tenants/tenant-access.module.js';
import { RestoreSourceTenantPolicy } from './restore-source-tenant.policy.js';
import { RunServiceClient } from './run-service.client.js';
import { RunsController } from './runs.controller.js';
import { StartRunService } from './start-run.service.js';

@Module({
  imports: [TenantAccessModule, RpcModule, IdempotencyModule],
  controllers: [RunsController],
  providers: [RunServiceClient, StartRunService, RestoreSourceTenantPolicy],
  exports: [RunServiceClient, StartRunService],
})
export class RunsModule {}

import { Module } from '@nestjs/common';
import { RpcModule } from '../rpc/rpc.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { RestoreSourceTenantPolicy } from './restore-source-tenant.policy.js';
import { RunServiceClient } from './run-service.client.js';
import { RunsController } from './runs.controller.js';
import { StartRunService } from './start-run.service.js';

@Module({
  imports: [TenantsModule, RpcModule],
  controllers: [RunsController],
  providers: [RunServiceClient, StartRunService, RestoreSourceTenantPolicy],
  exports: [RunServiceClient, StartRunService],
})
export class RunsModule {}

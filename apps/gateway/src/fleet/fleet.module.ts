import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { RpcModule } from '../rpc/rpc.module.js';
import { RunsModule } from '../runs/runs.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { FleetBatchRepository } from './fleet-batch.repository.js';
import { FleetDirectoryRepository } from './fleet-directory.repository.js';
import { FleetOverviewService } from './fleet-overview.service.js';
import { FleetRunServiceClient } from './fleet-run-service.client.js';
import { FleetRunsService } from './fleet-runs.service.js';
import { FleetTenantsService } from './fleet-tenants.service.js';
import { FleetController } from './fleet.controller.js';

@Module({
  imports: [TenantsModule, RpcModule, RunsModule, IdempotencyModule],
  controllers: [FleetController],
  providers: [FleetDirectoryRepository, FleetTenantsService, FleetOverviewService, FleetRunsService, FleetBatchRepository, FleetRunServiceClient],
})
export class FleetModule {}

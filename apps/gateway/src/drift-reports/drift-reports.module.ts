import { Module } from '@nestjs/common';
import { RpcModule } from '../rpc/rpc.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { DriftReportsClient } from './drift-reports.client.js';
import { DriftReportsController } from './drift-reports.controller.js';

/** Reads of drift reports; drift checks themselves are started as runs (runs/). */
@Module({
  imports: [TenantsModule, RpcModule],
  controllers: [DriftReportsController],
  providers: [DriftReportsClient],
})
export class DriftReportsModule {}

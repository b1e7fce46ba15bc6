import { Module } from '@nestjs/common';
import { RpcModule } from '../rpc/rpc.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { VersionCompareController } from './version-compare.controller.js';

/** Version compare of a policy's stored versions (the backup store computes it). */
@Module({
  imports: [TenantsModule, RpcModule],
  controllers: [VersionCompareController],
})
export class VersionCompareModule {}

import { Module } from '@nestjs/common';
import { RpcModule } from '../rpc/rpc.module.js';
import { TenantAccessModule } from '../tenants/tenant-access.module.js';
import { RestorePreviewClient } from './restore-preview.client.js';
import { RestorePreviewController } from './restore-preview.controller.js';

/** Reads of restore previews; previews and restores themselves are started as runs (runs/). */
@Module({
  imports: [TenantAccessModule, RpcModule],
  controllers: [RestorePreviewController],
  providers: [RestorePreviewClient],
})
export class RestorePreviewsModule {}

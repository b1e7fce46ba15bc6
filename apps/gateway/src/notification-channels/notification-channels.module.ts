import { Module } from '@nestjs/common';
import { RpcModule } from '../rpc/rpc.module.js';
import { TenantAccessModule } from '../tenants/tenant-access.module.js';
import { NotificationChannelsClient } from './notification-channels.client.js';
import { NotificationChannelsController } from './notification-channels.controller.js';

@Module({
  imports: [TenantAccessModule, RpcModule],
  controllers: [NotificationChannelsController],
  providers: [NotificationChannelsClient],
})
export class NotificationChannelsModule {}

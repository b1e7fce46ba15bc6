import { Module } from '@nestjs/common';
import { RpcModule } from '../rpc/rpc.module.js';
import { TenantAccessModule } from '../tenants/tenant-access.module.js';
import { NotificationTenantFilterGuard } from './notification-tenant-filter.guard.js';
import { NotificationsController } from './notifications.controller.js';
import { NotifierClient } from './notifier.client.js';

@Module({
  imports: [TenantAccessModule, RpcModule],
  controllers: [NotificationsController],
  providers: [NotifierClient, NotificationTenantFilterGuard],
})
export class NotificationsModule {}

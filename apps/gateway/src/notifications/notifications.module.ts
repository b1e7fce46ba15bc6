import { Module } from '@nestjs/common';
import { RpcModule } from '../rpc/rpc.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { NotificationTenantFilterGuard } from './notification-tenant-filter.guard.js';
import { NotificationsController } from './notifications.controller.js';
import { NotifierClient } from './notifier.client.js';

@Module({
  imports: [TenantsModule, RpcModule],
  controllers: [NotificationsController],
  providers: [NotifierClient, NotificationTenantFilterGuard],
})
export class NotificationsModule {}

import { Module } from '@nestjs/common';
import { EventConsumerModule } from '@policyvault/platform';
import { NotificationRpcController } from '../rpc/notification-rpc.controller.js';
import { RUN_STATUS_CONSUMER, RunStatusHandler } from '../run-status/run-status.consumer.js';
import { NotificationQueriesService } from './notification-queries.service.js';
import { RecordNotificationService } from './record-notification.service.js';
import { TenantOwnersClient } from './tenant-owners.client.js';

@Module({
  imports: [EventConsumerModule.register(RUN_STATUS_CONSUMER)],
  controllers: [NotificationRpcController],
  providers: [TenantOwnersClient, RecordNotificationService, NotificationQueriesService, RunStatusHandler],
})
export class NotificationsModule {}

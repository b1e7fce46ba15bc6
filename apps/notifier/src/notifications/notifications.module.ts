import { Module } from '@nestjs/common';
import { EventConsumerModule } from '@policyvault/platform';
import { ChannelAdminService } from '../channels/channel-admin.service.js';
import { ChannelRouter } from '../channels/channel-router.service.js';
import { DeliveryWorker } from '../channels/delivery-worker.service.js';
import { ChannelRpcController } from '../rpc/channel-rpc.controller.js';
import { NotificationRpcController } from '../rpc/notification-rpc.controller.js';
import { RUN_STATUS_CONSUMER, RunStatusHandler } from '../run-status/run-status.consumer.js';
import { SCHEDULE_ALERT_CONSUMER, ScheduleAlertHandler } from '../schedule-alerts/schedule-alert.consumer.js';
import { NotificationQueriesService } from './notification-queries.service.js';
import { RecordNotificationService } from './record-notification.service.js';
import { TenantOwnersClient } from './tenant-owners.client.js';

@Module({
  imports: [EventConsumerModule.register(RUN_STATUS_CONSUMER), EventConsumerModule.register(SCHEDULE_ALERT_CONSUMER)],
  controllers: [NotificationRpcController, ChannelRpcController],
  providers: [TenantOwnersClient, RecordNotificationService, NotificationQueriesService, RunStatusHandler, ScheduleAlertHandler, DeliveryWorker, ChannelRouter, ChannelAdminService],
})
export class NotificationsModule {}

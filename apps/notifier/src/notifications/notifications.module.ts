import { Module } from '@nestjs/common';
import { RejectedMessageRecorder } from '@policyvault/platform';
import { NotificationRpcController } from '../rpc/notification-rpc.controller.js';
import { RunStatusConsumer } from '../run-status/run-status.consumer.js';
import { NotificationQueriesService } from './notification-queries.service.js';
import { RecordNotificationService } from './record-notification.service.js';

@Module({
  controllers: [NotificationRpcController],
  providers: [RejectedMessageRecorder, RecordNotificationService, NotificationQueriesService, RunStatusConsumer],
})
export class NotificationsModule {}

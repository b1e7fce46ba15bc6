import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ListNotificationsRequest,
  MarkAllNotificationsReadRequest,
  MarkNotificationReadRequest,
  NotificationRpc,
  type NotificationPage,
  type NotificationView,
} from '@policyvault/contracts';
import { RpcErrorReplyFilter, parseRpcPayload } from '@policyvault/platform';
import { NotificationQueriesService, type MarkAllReadReply } from '../notifications/notification-queries.service.js';

/** Request/reply API of the notifier on core NATS (queue group "notifier"), for the gateway. */
@Controller()
@UseFilters(RpcErrorReplyFilter)
export class NotificationRpcController {
  constructor(private readonly queries: NotificationQueriesService) {}

  @MessagePattern(NotificationRpc.list)
  list(@Payload() payload: unknown): Promise<NotificationPage> {
    const { userId, visibleTenantIds, ...filter } = parseRpcPayload(ListNotificationsRequest, payload);
    return this.queries.list({ userId, visibleTenantIds }, filter);
  }

  @MessagePattern(NotificationRpc.markRead)
  markRead(@Payload() payload: unknown): Promise<NotificationView> {
    const { userId, visibleTenantIds, notificationId } = parseRpcPayload(MarkNotificationReadRequest, payload);
    return this.queries.markRead({ userId, visibleTenantIds }, notificationId);
  }

  @MessagePattern(NotificationRpc.markAllRead)
  markAllRead(@Payload() payload: unknown): Promise<MarkAllReadReply> {
    const { userId, visibleTenantIds, tenantId } = parseRpcPayload(MarkAllNotificationsReadRequest, payload);
    return this.queries.markAllRead({ userId, visibleTenantIds }, tenantId);
  }
}

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
import { validateMessage } from '@policyvault/platform';
import { NotificationQueriesService, type MarkAllReadReply } from '../notifications/notification-queries.service.js';
import { NotifierError } from './notifier.error.js';
import { NotifierRpcExceptionFilter } from './rpc-exception.filter.js';

/** Request/reply API of the notifier on core NATS (queue group "notifier"), for the gateway. */
@Controller()
@UseFilters(NotifierRpcExceptionFilter)
export class NotificationRpcController {
  constructor(private readonly queries: NotificationQueriesService) {}

  @MessagePattern(NotificationRpc.list)
  list(@Payload() payload: unknown): Promise<NotificationPage> {
    const { userId, visibleTenantIds, ...filter } = parse(ListNotificationsRequest, payload);
    return this.queries.list({ userId, visibleTenantIds }, filter);
  }

  @MessagePattern(NotificationRpc.markRead)
  markRead(@Payload() payload: unknown): Promise<NotificationView> {
    const { userId, visibleTenantIds, notificationId } = parse(MarkNotificationReadRequest, payload);
    return this.queries.markRead({ userId, visibleTenantIds }, notificationId);
  }

  @MessagePattern(NotificationRpc.markAllRead)
  markAllRead(@Payload() payload: unknown): Promise<MarkAllReadReply> {
    const { userId, visibleTenantIds, tenantId } = parse(MarkAllNotificationsReadRequest, payload);
    return this.queries.markAllRead({ userId, visibleTenantIds }, tenantId);
  }
}

function parse<T extends object>(schema: new () => T, payload: unknown): T {
  const result = validateMessage(schema, payload);
  if (!result.ok) throw NotifierError.validation(result.problems);
  return result.value;
}

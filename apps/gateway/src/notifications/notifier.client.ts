import { Injectable } from '@nestjs/common';
import {
  NotificationRpc,
  type ListNotificationsRequest,
  type MarkAllNotificationsReadRequest,
  type MarkNotificationReadRequest,
  type NotificationPage,
  type NotificationView,
} from '@policyvault/contracts';
import { GatewayConfig } from '../gateway.config.js';
import { NatsRpcClient, type RpcService } from '../rpc/nats-rpc.client.js';

/** The notifier's answer to read-all (its reply; not a contract type). */
export interface MarkAllReadReply {
  markedRead: number;
  unreadCount: number;
}

const NOTIFICATION_NOT_FOUND = 'notification not found';

/** The notifier's query API (NotificationRpc, queue group "notifier"). */
@Injectable()
export class NotifierClient {
  private readonly service: RpcService;

  constructor(
    private readonly rpc: NatsRpcClient,
    config: GatewayConfig,
  ) {
    this.service = { name: 'notifier', timeoutMs: config.NOTIFIER_TIMEOUT_MS };
  }

  list(request: ListNotificationsRequest): Promise<NotificationPage> {
    return this.rpc.request(this.service, { pattern: NotificationRpc.list, payload: request });
  }

  markRead(request: MarkNotificationReadRequest): Promise<NotificationView> {
    return this.rpc.request(this.service, { pattern: NotificationRpc.markRead, payload: request, notFound: NOTIFICATION_NOT_FOUND });
  }

  markAllRead(request: MarkAllNotificationsReadRequest): Promise<MarkAllReadReply> {
    return this.rpc.request(this.service, { pattern: NotificationRpc.markAllRead, payload: request });
  }
}

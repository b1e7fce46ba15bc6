import { Injectable } from '@nestjs/common';
import {
  NotificationRpc,
  type CreateNotificationEndpointRequest,
  type CreateNotificationSubscriptionRequest,
  type CreatedNotificationEndpointView,
  type ListNotificationDeliveriesRequest,
  type NotificationActor,
  type NotificationDeliveryView,
  type NotificationEndpointRequest,
  type NotificationEndpointView,
  type NotificationSubscriptionRequest,
  type NotificationSubscriptionView,
  type NotificationTestSendReply,
} from '@policyvault/contracts';
import { GatewayConfig } from '../gateway.config.js';
import { NatsRpcClient, type RpcService } from '../rpc/nats-rpc.client.js';

const ENDPOINT_NOT_FOUND = 'notification endpoint not found in this tenant';
const SUBSCRIPTION_NOT_FOUND = 'notification subscription not found in this tenant';

/** The notifier's channel API (NotificationRpc endpoints/subscriptions/deliveries, queue group "notifier"). */
@Injectable()
export class NotificationChannelsClient {
  private readonly service: RpcService;

  constructor(
    private readonly rpc: NatsRpcClient,
    config: GatewayConfig,
  ) {
    this.service = { name: 'notifier', timeoutMs: config.NOTIFIER_TIMEOUT_MS };
  }

  listEndpoints(request: NotificationActor): Promise<NotificationEndpointView[]> {
    return this.rpc.request(this.service, { pattern: NotificationRpc.listEndpoints, payload: request });
  }

  createEndpoint(request: CreateNotificationEndpointRequest): Promise<CreatedNotificationEndpointView> {
    return this.rpc.request(this.service, { pattern: NotificationRpc.createEndpoint, payload: request });
  }

  async deleteEndpoint(request: NotificationEndpointRequest): Promise<void> {
    await this.rpc.request<unknown>(this.service, { pattern: NotificationRpc.deleteEndpoint, payload: request, notFound: ENDPOINT_NOT_FOUND });
  }

  enableEndpoint(request: NotificationEndpointRequest): Promise<NotificationEndpointView> {
    return this.rpc.request(this.service, { pattern: NotificationRpc.enableEndpoint, payload: request, notFound: ENDPOINT_NOT_FOUND });
  }

  testEndpoint(request: NotificationEndpointRequest): Promise<NotificationTestSendReply> {
    return this.rpc.request(this.service, { pattern: NotificationRpc.testEndpoint, payload: request, notFound: ENDPOINT_NOT_FOUND });
  }

  listSubscriptions(request: NotificationActor): Promise<NotificationSubscriptionView[]> {
    return this.rpc.request(this.service, { pattern: NotificationRpc.listSubscriptions, payload: request });
  }

  createSubscription(request: CreateNotificationSubscriptionRequest): Promise<NotificationSubscriptionView> {
    return this.rpc.request(this.service, { pattern: NotificationRpc.createSubscription, payload: request, notFound: ENDPOINT_NOT_FOUND });
  }

  async deleteSubscription(request: NotificationSubscriptionRequest): Promise<void> {
    await this.rpc.request<unknown>(this.service, { pattern: NotificationRpc.deleteSubscription, payload: request, notFound: SUBSCRIPTION_NOT_FOUND });
  }

  listDeliveries(request: ListNotificationDeliveriesRequest): Promise<NotificationDeliveryView[]> {
    return this.rpc.request(this.service, { pattern: NotificationRpc.listDeliveries, payload: request, notFound: ENDPOINT_NOT_FOUND });
  }
}

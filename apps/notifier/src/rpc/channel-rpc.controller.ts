import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateNotificationEndpointRequest,
  CreateNotificationSubscriptionRequest,
  ListNotificationDeliveriesRequest,
  NotificationActor,
  NotificationEndpointRequest,
  NotificationRpc,
  NotificationSubscriptionRequest,
  type CreatedNotificationEndpointView,
  type NotificationDeliveryView,
  type NotificationEndpointView,
  type NotificationSubscriptionView,
  type NotificationTestSendReply,
} from '@policyvault/contracts';
import { RpcErrorReplyFilter, parseRpcPayload } from '@policyvault/platform';
import { ChannelAdminService } from '../channels/channel-admin.service.js';

/** Notification channels' management API (queue group "notifier"), for the gateway. */
@Controller()
@UseFilters(RpcErrorReplyFilter)
export class ChannelRpcController {
  constructor(private readonly channels: ChannelAdminService) {}

  @MessagePattern(NotificationRpc.listEndpoints)
  listEndpoints(@Payload() payload: unknown): Promise<NotificationEndpointView[]> {
    return this.channels.listEndpoints(parseRpcPayload(NotificationActor, payload));
  }

  @MessagePattern(NotificationRpc.createEndpoint)
  createEndpoint(@Payload() payload: unknown): Promise<CreatedNotificationEndpointView> {
    return this.channels.createEndpoint(parseRpcPayload(CreateNotificationEndpointRequest, payload));
  }

  @MessagePattern(NotificationRpc.deleteEndpoint)
  async deleteEndpoint(@Payload() payload: unknown): Promise<{ deleted: true }> {
    const { endpointId, ...actor } = parseRpcPayload(NotificationEndpointRequest, payload);
    await this.channels.deleteEndpoint(actor, endpointId);
    return { deleted: true };
  }

  @MessagePattern(NotificationRpc.enableEndpoint)
  enableEndpoint(@Payload() payload: unknown): Promise<NotificationEndpointView> {
    const { endpointId, ...actor } = parseRpcPayload(NotificationEndpointRequest, payload);
    return this.channels.enableEndpoint(actor, endpointId);
  }

  @MessagePattern(NotificationRpc.testEndpoint)
  testEndpoint(@Payload() payload: unknown): Promise<NotificationTestSendReply> {
    const { endpointId, ...actor } = parseRpcPayload(NotificationEndpointRequest, payload);
    return this.channels.testEndpoint(actor, endpointId);
  }

  @MessagePattern(NotificationRpc.listSubscriptions)
  listSubscriptions(@Payload() payload: unknown): Promise<NotificationSubscriptionView[]> {
    return this.channels.listSubscriptions(parseRpcPayload(NotificationActor, payload));
  }

  @MessagePattern(NotificationRpc.createSubscription)
  createSubscription(@Payload() payload: unknown): Promise<NotificationSubscriptionView> {
    return this.channels.createSubscription(parseRpcPayload(CreateNotificationSubscriptionRequest, payload));
  }

  @MessagePattern(NotificationRpc.deleteSubscription)
  async deleteSubscription(@Payload() payload: unknown): Promise<{ deleted: true }> {
    const { subscriptionId, ...actor } = parseRpcPayload(NotificationSubscriptionRequest, payload);
    await this.channels.deleteSubscription(actor, subscriptionId);
    return { deleted: true };
  }

  @MessagePattern(NotificationRpc.listDeliveries)
  listDeliveries(@Payload() payload: unknown): Promise<NotificationDeliveryView[]> {
    return this.channels.listDeliveries(parseRpcPayload(ListNotificationDeliveriesRequest, payload));
  }
}

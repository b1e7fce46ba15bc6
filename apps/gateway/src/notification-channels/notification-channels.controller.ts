import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  NotificationScope,
  TenantRole,
  roleAtLeast,
  type CreatedNotificationEndpointView,
  type NotificationActor,
  type NotificationDeliveryView,
  type NotificationEndpointView,
  type NotificationSubscriptionView,
  type NotificationTestSendReply,
} from '@policyvault/contracts';
import type { HttpResponse } from '../common/http-response.js';
import { JsonBodyGuard } from '../common/json-body.guard.js';
import { UuidParamPipe } from '../common/uuid-param.pipe.js';
import { ErrorResponse } from '../errors/error.response.js';
import { CurrentTenantAccess } from '../tenants/current-tenant-access.decorator.js';
import { OTHER_TENANT_RULE } from '../tenants/other-tenant.interceptor.js';
import { requireRole } from '../tenants/require-role.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { TenantScoped } from '../tenants/tenant-scoped.decorator.js';
import { CreateNotificationEndpointBody, CreateNotificationSubscriptionBody, ListNotificationDeliveriesQuery } from './notification-channel.body.js';
import {
  CreatedNotificationEndpointResponse,
  NotificationDeliveryResponse,
  NotificationEndpointResponse,
  NotificationSubscriptionResponse,
  NotificationTestSendResponse,
} from './notification-channel.response.js';
import { NotificationChannelsClient } from './notification-channels.client.js';

const ENDPOINT_NOT_IN_TENANT = `No notification endpoint with this id in this tenant that the caller sees (the tenant's, or their own). ${OTHER_TENANT_RULE}`;
const SUBSCRIPTION_NOT_IN_TENANT = `No subscription with this id in this tenant that the caller sees. ${OTHER_TENANT_RULE}`;
const MANAGING = "managing the tenant's notification channels";

function actor(access: TenantAccess): NotificationActor {
  return { tenantId: access.tenantId, userId: access.userId, isOwner: roleAtLeast(access.role, TenantRole.Owner) };
}

/**
 * Where a tenant's notifications go besides the in-app list (the notifier's channels): signed webhooks,
 * Microsoft Teams and email endpoints, subscriptions to event kinds (optionally as an hourly digest), and the
 * delivery outbox with its dead letters. The tenant's endpoints and subscriptions are the owners'; any member
 * keeps personal ones.
 */
@ApiTags('notification channels')
@TenantScoped()
@ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'The notifier did not answer in time; safe to retry.' })
@Controller('api/tenants/:tenantId')
export class NotificationChannelsController {
  constructor(private readonly channels: NotificationChannelsClient) {}

  @Get('notification-endpoints')
  @ApiOperation({ summary: "The tenant's notification endpoints and the caller's own", description: 'Any member. Never a secret, never a URL\'s query.' })
  @ApiOkResponse({ type: [NotificationEndpointResponse] })
  listEndpoints(@CurrentTenantAccess() access: TenantAccess): Promise<NotificationEndpointView[]> {
    return this.channels.listEndpoints(actor(access));
  }

  @Post('notification-endpoints')
  @UseGuards(JsonBodyGuard)
  @ApiOperation({
    summary: 'Add a notification endpoint',
    description:
      "A tenant endpoint needs the owner role; a personal one any member. Webhook and Teams URLs must be https and resolve to public addresses only (400 otherwise). " +
      'A webhook is signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>`).',
  })
  @ApiCreatedResponse({ type: CreatedNotificationEndpointResponse })
  async createEndpoint(
    @CurrentTenantAccess() access: TenantAccess,
    @Body() body: CreateNotificationEndpointBody,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<CreatedNotificationEndpointView> {
    if (body.scope === NotificationScope.Tenant) requireRole(access, TenantRole.Owner, MANAGING);
    const endpoint = await this.channels.createEndpoint({ ...actor(access), ...body });
    response.header('Location', `/api/tenants/${access.tenantId}/notification-endpoints/${endpoint.id}`);
    return endpoint;
  }

  @Delete('notification-endpoints/:endpointId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove a notification endpoint', description: 'Owners for the tenant\'s; its user for a personal one. Its subscriptions and deliveries go with it.' })
  @ApiParam({ name: 'endpointId', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: ENDPOINT_NOT_IN_TENANT })
  async deleteEndpoint(@CurrentTenantAccess() access: TenantAccess, @Param('endpointId', UuidParamPipe) endpointId: string): Promise<void> {
    await this.channels.deleteEndpoint({ ...actor(access), endpointId });
  }

  @Post('notification-endpoints/:endpointId/enable')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Enable an endpoint again', description: 'After it was disabled for repeated failed deliveries; its failures in a row start from zero.' })
  @ApiParam({ name: 'endpointId', format: 'uuid' })
  @ApiOkResponse({ type: NotificationEndpointResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: ENDPOINT_NOT_IN_TENANT })
  enableEndpoint(@CurrentTenantAccess() access: TenantAccess, @Param('endpointId', UuidParamPipe) endpointId: string): Promise<NotificationEndpointView> {
    return this.channels.enableEndpoint({ ...actor(access), endpointId });
  }

  @Post('notification-endpoints/:endpointId/test')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send a test message', description: 'Queued in the outbox like any delivery (retries, rate limit); follow it in the deliveries list.' })
  @ApiParam({ name: 'endpointId', format: 'uuid' })
  @ApiAcceptedResponse({ type: NotificationTestSendResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: ENDPOINT_NOT_IN_TENANT })
  testEndpoint(@CurrentTenantAccess() access: TenantAccess, @Param('endpointId', UuidParamPipe) endpointId: string): Promise<NotificationTestSendReply> {
    return this.channels.testEndpoint({ ...actor(access), endpointId });
  }

  @Get('notification-subscriptions')
  @ApiOperation({ summary: "The tenant's subscriptions and the caller's own", description: 'Any member.' })
  @ApiOkResponse({ type: [NotificationSubscriptionResponse] })
  listSubscriptions(@CurrentTenantAccess() access: TenantAccess): Promise<NotificationSubscriptionView[]> {
    return this.channels.listSubscriptions(actor(access));
  }

  @Post('notification-subscriptions')
  @UseGuards(JsonBodyGuard)
  @ApiOperation({
    summary: 'Subscribe an endpoint to event kinds',
    description: 'A tenant subscription (owners) sends to a tenant endpoint; a personal one (any member) to a tenant endpoint or the caller\'s own. `digest`: at most one message an hour.',
  })
  @ApiCreatedResponse({ type: NotificationSubscriptionResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: ENDPOINT_NOT_IN_TENANT })
  async createSubscription(
    @CurrentTenantAccess() access: TenantAccess,
    @Body() body: CreateNotificationSubscriptionBody,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<NotificationSubscriptionView> {
    if (body.scope === NotificationScope.Tenant) requireRole(access, TenantRole.Owner, MANAGING);
    const subscription = await this.channels.createSubscription({ ...actor(access), ...body, endpointId: body.endpointId.toLowerCase() });
    response.header('Location', `/api/tenants/${access.tenantId}/notification-subscriptions/${subscription.id}`);
    return subscription;
  }

  @Delete('notification-subscriptions/:subscriptionId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove a subscription', description: "Owners for the tenant's; its user for a personal one." })
  @ApiParam({ name: 'subscriptionId', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: SUBSCRIPTION_NOT_IN_TENANT })
  async deleteSubscription(@CurrentTenantAccess() access: TenantAccess, @Param('subscriptionId', UuidParamPipe) subscriptionId: string): Promise<void> {
    await this.channels.deleteSubscription({ ...actor(access), subscriptionId });
  }

  @Get('notification-deliveries')
  @ApiOperation({
    summary: 'Deliveries, newest first (at most 200), with the dead letters',
    description: "Owners see the tenant endpoints' deliveries and their own; other members their own endpoints'. `status=dead`: given up, with the last error.",
  })
  @ApiOkResponse({ type: [NotificationDeliveryResponse] })
  listDeliveries(@CurrentTenantAccess() access: TenantAccess, @Query() query: ListNotificationDeliveriesQuery): Promise<NotificationDeliveryView[]> {
    return this.channels.listDeliveries({ ...actor(access), ...query, ...(query.endpointId ? { endpointId: query.endpointId.toLowerCase() } : {}) });
  }
}

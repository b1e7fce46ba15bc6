import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  NotificationChannelKind,
  NotificationScope,
  RpcErrorCode,
  type CreateNotificationEndpointRequest,
  type CreateNotificationSubscriptionRequest,
  type CreatedNotificationEndpointView,
  type ListNotificationDeliveriesRequest,
  type NotificationActor,
  type NotificationDeliveryStatus,
  type NotificationDeliveryView,
  type NotificationEndpointView,
  type NotificationSubscriptionView,
  type NotificationTestSendReply,
} from '@policyvault/contracts';
import { RpcException, owningTenant } from '@policyvault/platform';
import { NotifierConfig } from '../notifier.config.js';
import { NotificationDeliveryEntity, NotificationEndpointEntity, NotificationSubscriptionEntity } from './channel.entities.js';
import { testMessage } from './channel-message.js';
import { newWebhookSecret } from './channel-sender.js';
import { DeliveryWorker } from './delivery-worker.service.js';
import { enqueueDeliveryRow } from './enqueue-delivery.js';
import { TargetRefusedError, checkTarget, displayTarget } from './target-address.js';
import { randomUUID } from 'node:crypto';

/**
 * Endpoints, subscriptions and deliveries for the gateway's routes. The tenant's (scope `tenant`) are the
 * owners' to manage and see with their dead letters; a personal one is its user's only. Every query takes
 * the tenant; an id another tenant holds answers `other_tenant` (the gateway decides 403 or 404).
 */
@Injectable()
export class ChannelAdminService {
  constructor(
    @InjectDataSource() private readonly database: DataSource,
    private readonly config: NotifierConfig,
    private readonly worker: DeliveryWorker,
  ) {}

  async listEndpoints(actor: NotificationActor): Promise<NotificationEndpointView[]> {
    const rows = await this.database
      .getRepository(NotificationEndpointEntity)
      .createQueryBuilder('endpoint')
      .where('endpoint.tenant_id = :tenantId', { tenantId: actor.tenantId.toLowerCase() })
      .andWhere('(endpoint.user_id IS NULL OR endpoint.user_id = :userId)', { userId: actor.userId.toLowerCase() })
      .orderBy('endpoint.created_at')
      .addOrderBy('endpoint.id')
      .getMany();
    return rows.map(endpointView);
  }

  async createEndpoint(request: CreateNotificationEndpointRequest): Promise<CreatedNotificationEndpointView> {
    const personal = request.scope === NotificationScope.Personal;
    if (!personal && !request.isOwner) throw new RpcException(RpcErrorCode.Forbidden, "only the tenant's owners manage its notification endpoints");
    let url: string | null = null;
    let emailTo: string[] | null = null;
    if (request.kind === NotificationChannelKind.Email) {
      if (!request.emailTo?.length) throw RpcException.validation(['emailTo: an email endpoint needs at least one recipient']);
      if (request.url !== undefined) throw RpcException.validation(['url: an email endpoint has no url']);
      if (!this.worker.emailConfigured) throw RpcException.validation(['kind: email is not available: no SMTP server is configured']);
      emailTo = request.emailTo.map((address) => address.toLowerCase());
    } else {
      if (!request.url) throw RpcException.validation([`url: a ${request.kind} endpoint needs a url`]);
      if (request.emailTo !== undefined) throw RpcException.validation([`emailTo: a ${request.kind} endpoint has no recipients`]);
      try {
        url = (await checkTarget(request.url, { allowPrivateTargets: this.config.NOTIFICATION_ALLOW_PRIVATE_TARGETS })).toString();
      } catch (error) {
        if (error instanceof TargetRefusedError) throw RpcException.validation([error.message]);
        throw error;
      }
    }
    if (request.secret !== undefined && request.kind !== NotificationChannelKind.Webhook) throw RpcException.validation(['secret: only webhooks are signed']);
    const cipher = this.worker.cipher;
    if (request.kind === NotificationChannelKind.Webhook && !cipher) {
      throw RpcException.validation(['kind: webhooks are not available: no key to seal their signing secrets is configured (SECRET_ENCRYPTION_KEYS)']);
    }
    const secret = request.kind === NotificationChannelKind.Webhook ? (request.secret ?? newWebhookSecret()) : null;
    const saved = await this.database.getRepository(NotificationEndpointEntity).save({
      tenantId: request.tenantId.toLowerCase(),
      userId: personal ? request.userId.toLowerCase() : null,
      kind: request.kind,
      name: request.name,
      url,
      emailTo,
      secret: secret && cipher ? cipher.encrypt(secret) : null,
      createdBy: request.userId.toLowerCase(),
    });
    const view: CreatedNotificationEndpointView = endpointView(saved);
    // Said once, to its creator, when PolicyVault made it (one given by the caller is theirs already).
    if (secret && request.secret === undefined) view.secret = secret;
    return view;
  }

  async deleteEndpoint(actor: NotificationActor, endpointId: string): Promise<void> {
    const endpoint = await this.managedEndpoint(actor, endpointId);
    await this.database.getRepository(NotificationEndpointEntity).delete({ id: endpoint.id });
  }

  /** Enables a disabled endpoint again (its failures in a row start from zero); its dead letters stay dead. */
  async enableEndpoint(actor: NotificationActor, endpointId: string): Promise<NotificationEndpointView> {
    const endpoint = await this.managedEndpoint(actor, endpointId);
    await this.database.getRepository(NotificationEndpointEntity).update({ id: endpoint.id }, { enabled: true, disabledReason: null, consecutiveFailures: 0 });
    return endpointView({ ...endpoint, enabled: true, disabledReason: null, consecutiveFailures: 0 });
  }

  async testEndpoint(actor: NotificationActor, endpointId: string): Promise<NotificationTestSendReply> {
    const endpoint = await this.managedEndpoint(actor, endpointId);
    const eventKey = `test:${randomUUID()}`;
    await this.database.transaction((manager) =>
      enqueueDeliveryRow(manager, { tenantId: endpoint.tenantId, endpointId: endpoint.id, eventKey, message: testMessage(endpoint.tenantId, this.config.UI_BASE_URL) }),
    );
    const row = await this.database.getRepository(NotificationDeliveryEntity).findOneByOrFail({ eventKey, endpointId: endpoint.id });
    this.worker.kick();
    return { deliveryId: row.id };
  }

  async listSubscriptions(actor: NotificationActor): Promise<NotificationSubscriptionView[]> {
    const rows = await this.database
      .getRepository(NotificationSubscriptionEntity)
      .createQueryBuilder('subscription')
      .where('subscription.tenant_id = :tenantId', { tenantId: actor.tenantId.toLowerCase() })
      .andWhere('(subscription.user_id IS NULL OR subscription.user_id = :userId)', { userId: actor.userId.toLowerCase() })
      .orderBy('subscription.created_at')
      .addOrderBy('subscription.id')
      .getMany();
    return rows.map(subscriptionView);
  }

  async createSubscription(request: CreateNotificationSubscriptionRequest): Promise<NotificationSubscriptionView> {
    const personal = request.scope === NotificationScope.Personal;
    if (!personal && !request.isOwner) throw new RpcException(RpcErrorCode.Forbidden, "only the tenant's owners manage its subscriptions");
    const endpoint = await this.visibleEndpoint(request, request.endpointId);
    // A tenant subscription sends to the tenant's endpoints; a personal one to the tenant's or the user's own.
    if (!personal && endpoint.userId !== null) throw RpcException.validation(["endpointId: a tenant subscription needs one of the tenant's endpoints"]);
    const saved = await this.database.getRepository(NotificationSubscriptionEntity).save({
      tenantId: request.tenantId.toLowerCase(),
      userId: personal ? request.userId.toLowerCase() : null,
      endpointId: endpoint.id,
      events: request.events,
      digest: request.digest,
    });
    return subscriptionView(saved);
  }

  async deleteSubscription(actor: NotificationActor, subscriptionId: string): Promise<void> {
    const repository = this.database.getRepository(NotificationSubscriptionEntity);
    const subscription = await repository.findOneBy({ id: subscriptionId.toLowerCase(), tenantId: actor.tenantId.toLowerCase() });
    if (!subscription || (subscription.userId !== null && subscription.userId !== actor.userId.toLowerCase())) {
      throw RpcException.notFoundOrOtherTenant('subscription', await owningTenant(this.database.manager, NotificationSubscriptionEntity, { id: subscriptionId.toLowerCase() }), actor.tenantId);
    }
    if (subscription.userId === null && !actor.isOwner) throw new RpcException(RpcErrorCode.Forbidden, "only the tenant's owners manage its subscriptions");
    await repository.delete({ id: subscription.id });
  }

  /** Newest first (at most 200): the owners see the tenant endpoints' deliveries, each user their own endpoints'. */
  async listDeliveries(request: ListNotificationDeliveriesRequest): Promise<NotificationDeliveryView[]> {
    if (request.endpointId) await this.visibleEndpoint(request, request.endpointId);
    const query = this.database
      .getRepository(NotificationDeliveryEntity)
      .createQueryBuilder('delivery')
      .innerJoin(NotificationEndpointEntity, 'endpoint', 'endpoint.id = delivery.endpoint_id')
      .where('delivery.tenant_id = :tenantId', { tenantId: request.tenantId.toLowerCase() })
      .andWhere(request.isOwner ? '(endpoint.user_id IS NULL OR endpoint.user_id = :userId)' : 'endpoint.user_id = :userId', { userId: request.userId.toLowerCase() })
      .orderBy('delivery.created_at', 'DESC')
      .addOrderBy('delivery.id', 'DESC')
      .limit(200);
    if (request.status) query.andWhere('delivery.status = :status', { status: request.status });
    if (request.endpointId) query.andWhere('delivery.endpoint_id = :endpointId', { endpointId: request.endpointId.toLowerCase() });
    return (await query.getMany()).map(deliveryView);
  }

  /** An endpoint the caller sees (the tenant's, or their own); else not_found / other_tenant. */
  private async visibleEndpoint(actor: NotificationActor, endpointId: string): Promise<NotificationEndpointEntity> {
    const endpoint = await this.database.getRepository(NotificationEndpointEntity).findOneBy({ id: endpointId.toLowerCase(), tenantId: actor.tenantId.toLowerCase() });
    if (!endpoint || (endpoint.userId !== null && endpoint.userId !== actor.userId.toLowerCase())) {
      throw RpcException.notFoundOrOtherTenant('notification endpoint', await owningTenant(this.database.manager, NotificationEndpointEntity, { id: endpointId.toLowerCase() }), actor.tenantId);
    }
    return endpoint;
  }

  /** One the caller may change: their own, or the tenant's when an owner. */
  private async managedEndpoint(actor: NotificationActor, endpointId: string): Promise<NotificationEndpointEntity> {
    const endpoint = await this.visibleEndpoint(actor, endpointId);
    if (endpoint.userId === null && !actor.isOwner) throw new RpcException(RpcErrorCode.Forbidden, "only the tenant's owners manage its notification endpoints");
    return endpoint;
  }
}

function endpointView(row: NotificationEndpointEntity): NotificationEndpointView {
  return {
    id: row.id,
    tenantId: row.tenantId,
    scope: row.userId === null ? NotificationScope.Tenant : NotificationScope.Personal,
    userId: row.userId,
    kind: row.kind,
    name: row.name,
    target: row.kind === NotificationChannelKind.Email ? (row.emailTo ?? []).join(', ') : displayTarget(row.url),
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    consecutiveFailures: row.consecutiveFailures,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

function subscriptionView(row: NotificationSubscriptionEntity): NotificationSubscriptionView {
  return {
    id: row.id,
    tenantId: row.tenantId,
    scope: row.userId === null ? NotificationScope.Tenant : NotificationScope.Personal,
    userId: row.userId,
    endpointId: row.endpointId,
    events: row.events,
    digest: row.digest,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

function deliveryView(row: NotificationDeliveryEntity): NotificationDeliveryView {
  return {
    id: row.id,
    tenantId: row.tenantId,
    endpointId: row.endpointId,
    eventKind: row.eventKind,
    eventKey: row.eventKey,
    status: row.status as NotificationDeliveryStatus,
    attempts: row.attempts,
    lastError: row.lastError,
    lastHttpStatus: row.lastHttpStatus,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}

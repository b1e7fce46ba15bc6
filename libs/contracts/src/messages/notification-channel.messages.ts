// Notification channels (webhooks, Microsoft Teams, email), owned by the notifier (queue group "notifier"):
// endpoints, subscriptions and the delivery outbox. The gateway decides who may manage what (owners the
// tenant's endpoints, every member their own) and passes the caller; the notifier stores and delivers.
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';

export enum NotificationChannelKind {
  /** JSON POST signed per the Standard Webhooks convention (webhook-id, webhook-timestamp, webhook-signature). */
  Webhook = 'webhook',
  /** A Teams incoming webhook / Workflows URL: an Adaptive Card. */
  Teams = 'teams',
  /** SMTP (nodemailer), HTML and text. */
  Email = 'email',
}

/** What a subscription can ask for. */
export enum NotificationEventKind {
  RunFailed = 'run.failed',
  RunPartial = 'run.partial',
  DriftFound = 'drift.found',
  TenantAccessLost = 'tenant.access_lost',
  /** A backup schedule's slot was skipped (its previous run was still active). */
  ScheduleSkipped = 'schedule.skipped',
  /** A backup schedule's runs failed SCHEDULE_FAILING_ALERT_AFTER times in a row (run-service setting). */
  ScheduleFailing = 'schedule.failing',
}

/** Who an endpoint or subscription belongs to: the tenant (managed by its owners) or one user (their own). */
export enum NotificationScope {
  Tenant = 'tenant',
  Personal = 'personal',
}

export enum NotificationDeliveryStatus {
  Pending = 'pending',
  Delivered = 'delivered',
  /** Given up after the retries: kept with its last error for the owners (dead letter). */
  Dead = 'dead',
}

/** The caller, as the gateway established it (membership and role checked there). */
export class NotificationActor {
  @IsUUID('all')
  tenantId: string;

  @IsUUID('all')
  userId: string;

  /** The caller is an owner of the tenant (or a directory administrator): may manage the tenant's endpoints. */
  @IsBoolean()
  isOwner: boolean;
}

export class CreateNotificationEndpointRequest extends NotificationActor {
  @IsIn(Object.values(NotificationScope))
  scope: NotificationScope;

  @IsIn(Object.values(NotificationChannelKind))
  kind: NotificationChannelKind;

  @IsString()
  @Length(1, 200)
  name: string;

  /** Webhook and Teams: the address (https in production; no loopback, link-local or private address). */
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string;

  /** Email: the recipients. */
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsEmail({}, { each: true })
  emailTo?: string[];

  /** Webhook: the signing secret (`whsec_` + base64 of 24 to 64 bytes); one is made when absent and answered once. */
  @IsOptional()
  @IsString()
  @Matches(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, { message: 'secret must be whsec_ followed by base64 of 24 to 64 bytes' })
  secret?: string;
}

export class NotificationEndpointRequest extends NotificationActor {
  @IsUUID('all')
  endpointId: string;
}

export class CreateNotificationSubscriptionRequest extends NotificationActor {
  @IsIn(Object.values(NotificationScope))
  scope: NotificationScope;

  @IsUUID('all')
  endpointId: string;

  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(Object.values(NotificationEventKind), { each: true })
  events: NotificationEventKind[];

  /** At most one message per hour for this subscription, summarizing what happened. */
  @IsBoolean()
  digest: boolean;
}

export class NotificationSubscriptionRequest extends NotificationActor {
  @IsUUID('all')
  subscriptionId: string;
}

export class ListNotificationDeliveriesRequest extends NotificationActor {
  @IsOptional()
  @IsIn(Object.values(NotificationDeliveryStatus))
  status?: NotificationDeliveryStatus;

  @IsOptional()
  @IsUUID('all')
  endpointId?: string;
}

export interface NotificationEndpointView {
  id: string;
  tenantId: string;
  scope: NotificationScope;
  /** Personal endpoints: their user. */
  userId: string | null;
  kind: NotificationChannelKind;
  name: string;
  /** Webhook and Teams: scheme, host and path only (no query: Teams and Workflows URLs carry their token there). */
  target: string;
  enabled: boolean;
  disabledReason: string | null;
  consecutiveFailures: number;
  createdAt: string;
}

/** The create answer: with a webhook's signing secret, this once. */
export interface CreatedNotificationEndpointView extends NotificationEndpointView {
  secret?: string;
}

export interface NotificationSubscriptionView {
  id: string;
  tenantId: string;
  scope: NotificationScope;
  userId: string | null;
  endpointId: string;
  events: NotificationEventKind[];
  digest: boolean;
  createdAt: string;
}

export interface NotificationDeliveryView {
  id: string;
  tenantId: string;
  endpointId: string;
  eventKind: string;
  eventKey: string;
  status: NotificationDeliveryStatus;
  attempts: number;
  lastError: string | null;
  lastHttpStatus: number | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface NotificationTestSendReply {
  deliveryId: string;
}

import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { NotificationChannelKind, NotificationDeliveryStatus, NotificationEventKind } from '@policyvault/contracts';
import type { SecretEnvelope } from '@policyvault/platform';

/** Where notifications go: a tenant's (owners manage it) or one user's (`user_id`). */
@Entity({ name: 'notification_endpoints' })
@Index('notification_endpoints_tenant', ['tenantId'])
@Check('notification_endpoints_kind_check', `kind IN ('webhook','teams','email')`)
export class NotificationEndpointEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  /** Personal endpoints: their user; null for the tenant's. */
  @Column('uuid', { name: 'user_id', nullable: true })
  userId: string | null;

  @Column('text')
  kind: NotificationChannelKind;

  @Column('text')
  name: string;

  /** Webhook and Teams. */
  @Column('text', { nullable: true })
  url: string | null;

  /** Email. */
  @Column('text', { name: 'email_to', array: true, nullable: true })
  emailTo: string[] | null;

  /** A webhook's signing secret, sealed by SecretCipher (never stored or logged in the clear). */
  @Column('jsonb', { nullable: true })
  secret: SecretEnvelope | null;

  @Column('boolean', { default: true })
  enabled: boolean;

  @Column('text', { name: 'disabled_reason', nullable: true })
  disabledReason: string | null;

  /** Deliveries dead-lettered in a row; reset by a success. */
  @Column('integer', { name: 'consecutive_failures', default: 0 })
  consecutiveFailures: number;

  @Column('uuid', { name: 'created_by' })
  createdBy: string;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;
}

/** Which events go to an endpoint: tenant-wide (`user_id` null) or one user's. */
@Entity({ name: 'notification_subscriptions' })
@Index('notification_subscriptions_tenant', ['tenantId'])
export class NotificationSubscriptionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'user_id', nullable: true })
  userId: string | null;

  @Column('uuid', { name: 'endpoint_id' })
  endpointId: string;

  @ManyToOne(() => NotificationEndpointEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id', foreignKeyConstraintName: 'notification_subscriptions_endpoint_fk' })
  endpoint?: NotificationEndpointEntity;

  @Column('text', { array: true })
  events: NotificationEventKind[];

  @Column('boolean', { default: false })
  digest: boolean;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;
}

/** The outbox: one row per (event, endpoint), retried until delivered or dead. */
@Entity({ name: 'notification_deliveries' })
@Index('notification_deliveries_event_endpoint', ['eventKey', 'endpointId'], { unique: true })
@Index('notification_deliveries_due', ['nextAttemptAt'], { where: `status = 'pending'` })
@Index('notification_deliveries_tenant', ['tenantId', 'createdAt'])
@Check('notification_deliveries_status_check', `status IN ('pending','delivered','dead')`)
export class NotificationDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'endpoint_id' })
  endpointId: string;

  @ManyToOne(() => NotificationEndpointEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id', foreignKeyConstraintName: 'notification_deliveries_endpoint_fk' })
  endpoint?: NotificationEndpointEntity;

  /** `run:<id>:status:<status>`, `digest:<id>`, `endpoint:<id>:disabled`, `test:<uuid>`. */
  @Column('text', { name: 'event_key' })
  eventKey: string;

  @Column('text', { name: 'event_kind' })
  eventKind: NotificationEventKind | 'digest' | 'endpoint.disabled' | 'test';

  /** The channel-neutral message (ChannelMessage): safe content only, never a secret. */
  @Column('jsonb')
  payload: object;

  @Column('text', { default: 'pending' })
  status: NotificationDeliveryStatus;

  @Column('integer', { default: 0 })
  attempts: number;

  @Column('timestamptz', { name: 'next_attempt_at', default: () => 'now()' })
  nextAttemptAt: Date;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  @Column('integer', { name: 'last_http_status', nullable: true })
  lastHttpStatus: number | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'delivered_at', nullable: true })
  deliveredAt: Date | null;
}

/** A subscription's open digest: events join it until `closes_at`, then one delivery summarizes them. */
@Entity({ name: 'notification_digests' })
@Index('notification_digests_open', ['subscriptionId'], { unique: true, where: 'flushed_at IS NULL' })
@Index('notification_digests_due', ['closesAt'], { where: 'flushed_at IS NULL' })
export class NotificationDigestEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'subscription_id' })
  subscriptionId: string;

  @ManyToOne(() => NotificationSubscriptionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subscription_id', foreignKeyConstraintName: 'notification_digests_subscription_fk' })
  subscription?: NotificationSubscriptionEntity;

  @Column('timestamptz', { name: 'opened_at', default: () => 'now()' })
  openedAt: Date;

  @Column('timestamptz', { name: 'closes_at' })
  closesAt: Date;

  /** One DigestEntry per event (its key, kind, title, link), unique by key. */
  @Column('jsonb', { default: () => "'[]'" })
  entries: object[];

  @Column('timestamptz', { name: 'flushed_at', nullable: true })
  flushedAt: Date | null;
}

export const CHANNEL_ENTITIES = [NotificationEndpointEntity, NotificationSubscriptionEntity, NotificationDeliveryEntity, NotificationDigestEntity];

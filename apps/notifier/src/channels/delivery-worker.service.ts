import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { DataSource, EntityManager } from 'typeorm';
import { NotificationDeliveryStatus, NotificationKind, type NotificationChannelKind } from '@policyvault/contracts';
import { LOGGER, computeBackoffMs, isDatabaseUnavailableError, type SecretCipher } from '@policyvault/platform';
import { NotifierConfig, notifierSecretCipher } from '../notifier.config.js';
import { claimDueDeliveries, closeDueDigests, type ClaimedDeliveryRow } from '../database/notifier.sql.js';
import { NotificationDeliveryEntity, NotificationEndpointEntity } from './channel.entities.js';
import { digestMessage, endpointDisabledMessage, type ChannelMessage, type DigestEntry } from './channel-message.js';
import { ChannelSender, type AttemptOutcome } from './channel-sender.js';
import { enqueueDeliveryRow } from './enqueue-delivery.js';
import { NotificationEntity } from '../notifications/notification.entity.js';
import { TenantOwnersClient } from '../notifications/tenant-owners.client.js';

const BATCH = 20;

/**
 * The delivery outbox's worker, on every replica: claims due deliveries (SKIP LOCKED, with a lease),
 * sends each once per attempt, and records the outcome — delivered; retried after full-jitter backoff
 * (libs/platform retry/backoff.ts) or the receiver's Retry-After, whichever is longer; or dead-lettered
 * with its last error after DELIVERY_MAX_ATTEMPTS (or at once for a permanent refusal). ENDPOINT_DISABLE_AFTER
 * dead letters in a row disable the endpoint; the tenant's owners get an in-app notification and the tenant's
 * other endpoints are told. Each endpoint gets at
 * most ENDPOINT_RATE_PER_MINUTE messages a minute (rate-limiter-flexible); beyond, a delivery waits, no attempt
 * spent. The same tick closes the digests whose window ended into one delivery each.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly cipher: SecretCipher | undefined;
  private readonly sender: ChannelSender;
  private readonly limiter: RateLimiterMemory;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly database: DataSource,
    private readonly config: NotifierConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly owners: TenantOwnersClient,
  ) {
    this.cipher = notifierSecretCipher(config);
    this.sender = new ChannelSender(
      { allowPrivateTargets: config.NOTIFICATION_ALLOW_PRIVATE_TARGETS },
      {
        host: config.SMTP_HOST,
        port: config.SMTP_PORT,
        secure: config.SMTP_SECURE,
        user: config.SMTP_USER,
        password: config.SMTP_PASSWORD,
        from: config.SMTP_FROM,
        requireTls: !config.NOTIFICATION_ALLOW_PRIVATE_TARGETS,
      },
      config.DELIVERY_TIMEOUT_MS,
    );
    this.limiter = new RateLimiterMemory({ points: config.ENDPOINT_RATE_PER_MINUTE, duration: 60 });
  }

  get emailConfigured(): boolean {
    return this.sender.emailConfigured;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), this.config.DELIVERY_POLL_MS);
    this.timer.unref();
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.sender.close();
  }

  /** Look for due work now (after a commit that added some), or right after the tick under way. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.tick()
      .catch((error: unknown) => {
        if (isDatabaseUnavailableError(error)) this.logger.warn('notification deliveries wait for the database');
        else this.logger.error({ err: error }, 'notification delivery tick failed');
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async tick(): Promise<void> {
    await this.flushDigests();
    for (;;) {
      const leaseMs = this.config.DELIVERY_TIMEOUT_MS * 3;
      const claimed = await this.database.transaction((manager) => claimDueDeliveries(manager, BATCH, leaseMs));
      if (claimed.length === 0 || this.stopped) return;
      await Promise.all(claimed.map((row) => this.attempt(row)));
    }
  }

  private async flushDigests(): Promise<void> {
    await this.database.transaction(async (manager) => {
      for (const digest of await closeDueDigests(manager, BATCH)) {
        const message = digestMessage(digest.tenant_id, digest.entries as DigestEntry[], this.config.UI_BASE_URL, new Date(digest.opened_at));
        await enqueueDeliveryRow(manager, { tenantId: digest.tenant_id, endpointId: digest.endpoint_id, eventKey: `digest:${digest.id}`, message });
      }
    });
  }

  private async attempt(row: ClaimedDeliveryRow): Promise<void> {
    const endpoint = await this.database.getRepository(NotificationEndpointEntity).findOneBy({ id: row.endpoint_id });
    if (!endpoint) return;
    try {
      await this.limiter.consume(endpoint.id);
    } catch (limited) {
      const waitMs = limited instanceof RateLimiterRes ? limited.msBeforeNext : 1000;
      await this.database.getRepository(NotificationDeliveryEntity).update({ id: row.id }, { nextAttemptAt: new Date(Date.now() + waitMs) });
      return;
    }
    let outcome: AttemptOutcome;
    try {
      if (endpoint.secret && !this.cipher) throw new Error('secret_key_unavailable');
      const secret = endpoint.secret && this.cipher ? this.cipher.decrypt(endpoint.secret) : null;
      outcome = await this.sender.send({ kind: endpoint.kind as NotificationChannelKind, url: endpoint.url, emailTo: endpoint.emailTo, secret }, row.id, row.payload as ChannelMessage);
    } catch (error) {
      outcome = { ok: false, permanent: true, error: error instanceof Error ? error.name : 'secret_unavailable' };
    }
    await this.record(row, endpoint, outcome);
  }

  private async record(row: ClaimedDeliveryRow, endpoint: NotificationEndpointEntity, outcome: AttemptOutcome): Promise<void> {
    const attempts = row.attempts + 1;
    const deliveries = (manager: EntityManager) => manager.getRepository(NotificationDeliveryEntity);
    await this.database.transaction(async (manager) => {
      if (outcome.ok) {
        await deliveries(manager).update(
          { id: row.id },
          { status: NotificationDeliveryStatus.Delivered, attempts, deliveredAt: new Date(), lastHttpStatus: outcome.httpStatus ?? null },
        );
        await manager.getRepository(NotificationEndpointEntity).update({ id: endpoint.id }, { consecutiveFailures: 0 });
        return;
      }
      const dead = outcome.permanent || attempts >= this.config.DELIVERY_MAX_ATTEMPTS;
      const waitMs = Math.max(
        computeBackoffMs(attempts, { baseDelayMs: this.config.DELIVERY_BACKOFF_BASE_MS, maxDelayMs: this.config.DELIVERY_BACKOFF_MAX_MS }),
        outcome.retryAfterMs ?? 0,
      );
      await deliveries(manager).update(
        { id: row.id },
        {
          status: dead ? NotificationDeliveryStatus.Dead : NotificationDeliveryStatus.Pending,
          attempts,
          lastError: outcome.error,
          lastHttpStatus: outcome.httpStatus ?? null,
          nextAttemptAt: new Date(Date.now() + waitMs),
        },
      );
      this.logger.warn({ deliveryId: row.id, endpointId: endpoint.id, attempts, dead, httpStatus: outcome.httpStatus }, 'notification delivery failed');
      if (dead) await this.countDeadLetter(manager, endpoint);
    });
    if (!outcome.ok) this.kick();
  }

  /**
   * ENDPOINT_DISABLE_AFTER dead letters in a row disable the endpoint (once); each owner of the tenant gets an
   * in-app notification (asked from the gateway: when it does not answer, the whole outcome rolls back and the
   * delivery is attempted again after its lease) and the tenant's other endpoints hear of it.
   */
  private async countDeadLetter(manager: EntityManager, endpoint: NotificationEndpointEntity): Promise<void> {
    const endpoints = manager.getRepository(NotificationEndpointEntity);
    await endpoints.increment({ id: endpoint.id }, 'consecutiveFailures', 1);
    const current = await endpoints.findOne({ where: { id: endpoint.id }, lock: { mode: 'pessimistic_write' } });
    if (!current || !current.enabled || current.consecutiveFailures < this.config.ENDPOINT_DISABLE_AFTER) return;
    const count = current.consecutiveFailures;
    const reason = `Disabled after ${count} ${count === 1 ? 'delivery' : 'deliveries'} in a row ${count === 1 ? 'was' : 'were'} given up; the last error is on its dead letters. Fix the receiver, then enable it again.`;
    await endpoints.update({ id: current.id }, { enabled: false, disabledReason: reason });
    this.logger.warn({ endpointId: current.id, tenantId: current.tenantId }, 'notification endpoint disabled');
    // Told: the tenant's other enabled endpoints (the owners' channels), and the endpoint's user's own ones.
    const others = await endpoints
      .createQueryBuilder('endpoint')
      .where('endpoint.tenant_id = :tenantId AND endpoint.enabled AND endpoint.id <> :id', { tenantId: current.tenantId, id: current.id })
      .andWhere(current.userId ? '(endpoint.user_id IS NULL OR endpoint.user_id = :userId)' : 'endpoint.user_id IS NULL', { userId: current.userId })
      .getMany();
    const message = endpointDisabledMessage(current.tenantId, current.name, reason);
    const eventKey = `endpoint:${current.id}:disabled:${current.consecutiveFailures}`;
    for (const other of others) {
      await enqueueDeliveryRow(manager, { tenantId: current.tenantId, endpointId: other.id, eventKey, message });
    }
    const recipients = new Set((await this.owners.owners(current.tenantId)).map((owner) => owner.userId.toLowerCase()));
    if (recipients.size === 0) return;
    const link = `${this.config.UI_BASE_URL.replace(/\/+$/, '')}/tenants/${encodeURIComponent(current.tenantId)}/settings`;
    await manager
      .createQueryBuilder()
      .insert()
      .into(NotificationEntity)
      .values(
        [...recipients].map((userId) => ({
          userId,
          tenantId: current.tenantId,
          kind: NotificationKind.EndpointDisabled,
          runId: null,
          runType: null,
          status: null,
          title: message.title,
          body: reason,
          error: null,
          link,
          eventId: eventKey,
          occurredAt: new Date(),
        })),
      )
      .orIgnore() // notifications_event_user: once per (event, owner)
      .updateEntity(false)
      .execute();
  }
}

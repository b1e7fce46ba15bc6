import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import DataLoader from 'dataloader';
import type { NotificationEventKind, RunStatusEvent, ScheduleAlertEvent } from '@policyvault/contracts';
import { NotifierConfig } from '../notifier.config.js';
import { addDigestEntry, subscriptionRoutes, tenantsSubscriptionRoutes, type SubscriptionRoute } from '../database/notifier.sql.js';
import { eventKindsOf, runMessage, scheduleAlertKindOf, scheduleAlertMessage, type ChannelMessage, type DigestEntry } from './channel-message.js';
import { enqueueDeliveryRow } from './enqueue-delivery.js';
import { DeliveryWorker } from './delivery-worker.service.js';

/**
 * Turns a run transition or a schedule alert into deliveries: for each subscription of the tenant that asks for one of the
 * event's kinds, one outbox row per (event, endpoint) — `ON CONFLICT DO NOTHING` on that pair is the
 * exactly-once anchor, so a redelivered event (or two subscriptions to one endpoint) adds nothing — or,
 * for digest subscriptions, an entry in the subscription's open digest (unique by event key).
 */
@Injectable()
export class ChannelRouter {
  /**
   * The first look at a tenant's subscriptions, which settles most events (no channel subscribed to them): the events
   * handled at once (a delivery's messages, within one event-loop turn) read theirs in one statement. Nothing is
   * remembered between turns, so a subscription changed a moment ago routes the next event.
   */
  private readonly tenantRoutes: DataLoader<string, SubscriptionRoute[]>;

  constructor(
    @InjectDataSource() private readonly database: DataSource,
    private readonly config: NotifierConfig,
    private readonly worker: DeliveryWorker,
  ) {
    this.tenantRoutes = new DataLoader((tenantIds) => tenantsSubscriptionRoutes(this.database.manager, tenantIds), {
      cache: false,
      maxBatchSize: TENANTS_PER_ROUTING_READ,
      // After the current I/O callbacks, as the notification writer's batches: every handler of one delivery joins.
      batchScheduleFn: (read) => setImmediate(read),
    });
  }

  async route(event: RunStatusEvent): Promise<number> {
    return this.deliver(event, eventKindsOf(event), (kind) => runMessage(event, kind, this.config.UI_BASE_URL));
  }

  /** A schedule alert (slot skipped, schedule failing): the same subscriptions, outbox and digests as run events. */
  async routeScheduleAlert(event: ScheduleAlertEvent): Promise<number> {
    return this.deliver(event, [scheduleAlertKindOf(event)], () => scheduleAlertMessage(event, this.config.UI_BASE_URL));
  }

  private async deliver(
    event: { eventId: string; tenantId: string; occurredAt: string },
    kinds: NotificationEventKind[],
    messageOf: (kind: NotificationEventKind) => ChannelMessage,
  ): Promise<number> {
    if (kinds.length === 0) return 0;
    const tenantId = event.tenantId.toLowerCase();
    // Most tenants subscribe no channel to most events: one read (shared with the events handled beside this one),
    // and no transaction, settles those.
    const routes = await this.tenantRoutes.load(tenantId);
    if (!routes.some((route) => route.events.some((kind) => kinds.includes(kind)))) return 0;
    const created = await this.database.transaction(async (manager) => {
      const subscriptions = await subscriptionRoutes(manager, tenantId, kinds);
      let count = 0;
      for (const subscription of subscriptions) {
        const kind = kinds.find((candidate) => subscription.events.includes(candidate));
        if (!kind) continue;
        const message = messageOf(kind);
        if (subscription.digest) {
          const entry: DigestEntry = { key: `${event.eventId}:${kind}`, kind, title: message.title, link: message.link ?? '', occurredAt: event.occurredAt };
          await addDigestEntry(manager, { tenantId, subscriptionId: subscription.id, windowMs: this.config.DIGEST_WINDOW_MS, entry });
        } else {
          count += await enqueueDeliveryRow(manager, { tenantId, endpointId: subscription.endpointId, eventKey: event.eventId, message });
        }
      }
      return count;
    });
    if (created > 0) this.worker.kick();
    return created;
  }
}

/** Tenants one routing read asks for at most (one uuid[] parameter). */
const TENANTS_PER_ROUTING_READ = 500;

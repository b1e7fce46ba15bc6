import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, type DataSource } from 'typeorm';
import type { RunStatusEvent } from '@policyvault/contracts';
import { NotifierConfig } from '../notifier.config.js';
import { addDigestEntry } from '../database/notifier.sql.js';
import { NotificationEndpointEntity, NotificationSubscriptionEntity } from './channel.entities.js';
import { eventKindsOf, runMessage, type DigestEntry } from './channel-message.js';
import { enqueueDeliveryRow } from './enqueue-delivery.js';
import { DeliveryWorker } from './delivery-worker.service.js';

/**
 * Turns a run transition into deliveries: for each subscription of the tenant that asks for one of the
 * event's kinds, one outbox row per (event, endpoint) — `ON CONFLICT DO NOTHING` on that pair is the
 * exactly-once anchor, so a redelivered event (or two subscriptions to one endpoint) adds nothing — or,
 * for digest subscriptions, an entry in the subscription's open digest (unique by event key).
 */
@Injectable()
export class ChannelRouter {
  constructor(
    @InjectDataSource() private readonly database: DataSource,
    private readonly config: NotifierConfig,
    private readonly worker: DeliveryWorker,
  ) {}

  async route(event: RunStatusEvent): Promise<number> {
    const kinds = eventKindsOf(event);
    if (kinds.length === 0) return 0;
    const tenantId = event.tenantId.toLowerCase();
    const created = await this.database.transaction(async (manager) => {
      const subscriptions = await manager
        .getRepository(NotificationSubscriptionEntity)
        .createQueryBuilder('subscription')
        .innerJoin(NotificationEndpointEntity, 'endpoint', 'endpoint.id = subscription.endpoint_id AND endpoint.enabled')
        .where('subscription.tenant_id = :tenantId', { tenantId })
        .andWhere(new Brackets((where) => where.where('subscription.events && :kinds::text[]', { kinds })))
        .getMany();
      let count = 0;
      for (const subscription of subscriptions) {
        const kind = kinds.find((candidate) => subscription.events.includes(candidate));
        if (!kind) continue;
        const message = runMessage(event, kind, this.config.UI_BASE_URL);
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

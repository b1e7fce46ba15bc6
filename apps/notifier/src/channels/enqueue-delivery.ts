import type { EntityManager } from 'typeorm';
import { NotificationDeliveryEntity } from './channel.entities.js';
import type { ChannelMessage } from './channel-message.js';

/**
 * One outbox row for (event, endpoint); answers 0 when it was there already. `ON CONFLICT DO NOTHING` on
 * that unique pair is the exactly-once anchor: a redelivered event adds nothing.
 */
export async function enqueueDeliveryRow(manager: EntityManager, row: { tenantId: string; endpointId: string; eventKey: string; message: ChannelMessage }): Promise<number> {
  const result = await manager
    .createQueryBuilder()
    .insert()
    .into(NotificationDeliveryEntity)
    .values({ tenantId: row.tenantId, endpointId: row.endpointId, eventKey: row.eventKey, eventKind: row.message.kind, payload: row.message })
    .orIgnore()
    .returning(['id'])
    .execute();
  return (result.raw as unknown[]).length;
}

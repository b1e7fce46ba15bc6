import type { EntityManager } from 'typeorm';
import { TenantPurgeEvent, type JetStreamNames } from '@policyvault/contracts';
import { traceCarrier, validateMessage } from '@policyvault/platform';
import { jsonb } from '../database/query-helpers.js';
import { OutboxEntity } from '../outbox/outbox.entity.js';

/** The outbox message id of a tenant's purge event: one per tenant, ever. */
export const tenantPurgeMessageId = (tenantId: string): string => `tenant:${tenantId}:purge`;

/**
 * Writes the purge event of a tenant in the caller's transaction (the purge of run-service's own rows
 * commits with it), to `<ns>.evt.tenant.purge.v1.<tenant>`; validated like every outbox event.
 */
export async function enqueueTenantPurgeEvent(manager: EntityManager, names: JetStreamNames, event: TenantPurgeEvent): Promise<void> {
  const validated = validateMessage(TenantPurgeEvent, event);
  if (!validated.ok) throw new Error(`purge event of tenant ${event.tenantId} is invalid: ${validated.problems.join('; ')}`);
  await manager
    .createQueryBuilder()
    .insert()
    .into(OutboxEntity)
    .values(
      jsonb<OutboxEntity>({
        subject: names.tenantPurgeSubject(event.tenantId),
        messageId: tenantPurgeMessageId(event.tenantId),
        payload: { ...event },
        traceContext: traceCarrier(),
      }),
    )
    .orIgnore()
    .updateEntity(false)
    .execute();
}

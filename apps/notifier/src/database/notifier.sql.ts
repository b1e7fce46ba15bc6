// The notifier's hand-written statements (ARCHITECTURE "Data access"): the ones the query builder cannot
// express — the digest upsert on its partial unique index and the outbox claim with SKIP LOCKED and a lease —
// and the routing reads every failed or partial run makes (the query builder cost more CPU than the statement).
import type { EntityManager } from 'typeorm';
import type { NotificationEventKind } from '@policyvault/contracts';

/** What routing needs of a subscription. */
export interface SubscriptionRoute {
  id: string;
  endpointId: string;
  events: NotificationEventKind[];
  digest: boolean;
}

/** The tenant's subscriptions to any of `kinds` whose endpoint is enabled. */
export async function subscriptionRoutes(manager: Pick<EntityManager, 'query'>, tenantId: string, kinds: NotificationEventKind[]): Promise<SubscriptionRoute[]> {
  const rows = (await manager.query(
    `SELECT s.id, s.endpoint_id, s.events, s.digest
       FROM notifier.notification_subscriptions s
       JOIN notifier.notification_endpoints e ON e.id = s.endpoint_id AND e.enabled
      WHERE s.tenant_id = $1 AND s.events && $2::text[]`,
    [tenantId, kinds],
  )) as { id: string; endpoint_id: string; events: NotificationEventKind[]; digest: boolean }[];
  return rows.map((row) => ({ id: row.id, endpointId: row.endpoint_id, events: row.events, digest: row.digest }));
}

/** Per tenant (lower-case ids, in the order given), its subscriptions whose endpoint is enabled: one statement for many tenants. */
export async function tenantsSubscriptionRoutes(manager: Pick<EntityManager, 'query'>, tenantIds: readonly string[]): Promise<SubscriptionRoute[][]> {
  const rows = (await manager.query(
    `SELECT s.tenant_id, s.id, s.endpoint_id, s.events, s.digest
       FROM notifier.notification_subscriptions s
       JOIN notifier.notification_endpoints e ON e.id = s.endpoint_id AND e.enabled
      WHERE s.tenant_id = ANY($1::uuid[])`,
    [tenantIds],
  )) as { tenant_id: string; id: string; endpoint_id: string; events: NotificationEventKind[]; digest: boolean }[];
  const byTenant = new Map<string, SubscriptionRoute[]>(tenantIds.map((tenantId) => [tenantId, []]));
  for (const row of rows) byTenant.get(row.tenant_id)?.push({ id: row.id, endpointId: row.endpoint_id, events: row.events, digest: row.digest });
  return tenantIds.map((tenantId) => byTenant.get(tenantId)!);
}

/** Adds an event to the subscription's open digest (opening one that closes after the window); a key already there adds nothing. */
export async function addDigestEntry(manager: EntityManager, row: { tenantId: string; subscriptionId: string; windowMs: number; entry: { key: string } & object }): Promise<void> {
  await manager.query(
    `INSERT INTO notifier.notification_digests (tenant_id, subscription_id, closes_at, entries)
     VALUES ($1, $2, now() + make_interval(secs => $3::double precision / 1000), jsonb_build_array($4::jsonb))
     ON CONFLICT (subscription_id) WHERE flushed_at IS NULL DO UPDATE
       SET entries = CASE WHEN notification_digests.entries @> jsonb_build_array(jsonb_build_object('key', $5::text))
                          THEN notification_digests.entries ELSE notification_digests.entries || jsonb_build_array($4::jsonb) END`,
    [row.tenantId, row.subscriptionId, row.windowMs, JSON.stringify(row.entry), row.entry.key],
  );
}

export interface ClosedDigestRow {
  id: string;
  tenant_id: string;
  subscription_id: string;
  endpoint_id: string;
  opened_at: Date;
  entries: object[];
}

/** Closes the digests whose window ended (each once: SKIP LOCKED shares them between replicas). */
export async function closeDueDigests(manager: EntityManager, limit: number): Promise<ClosedDigestRow[]> {
  return updatedRows<ClosedDigestRow>(await manager.query(
    `UPDATE notifier.notification_digests d SET flushed_at = now()
       FROM notifier.notification_subscriptions s
      WHERE s.id = d.subscription_id
        AND d.id IN (SELECT id FROM notifier.notification_digests WHERE flushed_at IS NULL AND closes_at <= now()
                     ORDER BY closes_at LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING d.id, d.tenant_id, d.subscription_id, s.endpoint_id, d.opened_at, d.entries`,
    [limit],
  ));
}

export interface ClaimedDeliveryRow {
  id: string;
  tenant_id: string;
  endpoint_id: string;
  event_kind: string;
  payload: object;
  attempts: number;
}

/**
 * Claims due deliveries of enabled endpoints for `leaseMs` (their next attempt moves past the lease, so
 * another replica takes one only if this one died holding it); SKIP LOCKED shares them between replicas.
 */
export async function claimDueDeliveries(manager: EntityManager, limit: number, leaseMs: number): Promise<ClaimedDeliveryRow[]> {
  return updatedRows<ClaimedDeliveryRow>(await manager.query(
    `UPDATE notifier.notification_deliveries d SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
      WHERE d.id IN (SELECT q.id FROM notifier.notification_deliveries q
                       JOIN notifier.notification_endpoints e ON e.id = q.endpoint_id AND e.enabled
                      WHERE q.status = 'pending' AND q.next_attempt_at <= now()
                      ORDER BY q.next_attempt_at LIMIT $1 FOR UPDATE OF q SKIP LOCKED)
      RETURNING d.id, d.tenant_id, d.endpoint_id, d.event_kind, d.payload, d.attempts`,
    [limit, leaseMs],
  ));
}

/** TypeORM's Postgres driver answers an UPDATE … RETURNING as `[rows, affected]`. */
function updatedRows<Row>(result: unknown): Row[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as Row[];
}

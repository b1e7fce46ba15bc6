// The only hand-written SQL of run-service: hot-path statements the query builder cannot express in
// one round trip, or costs more CPU to build than the statement takes (the outbox row every worker event writes).
// Everything else goes through the entities (repositories, EntityRows or the query builder).
// Each statement is listed with the row type it reads or returns.
import type { DataSource, EntityManager } from 'typeorm';
import { jsonTextsParameter, PreparedStatement, type TraceCarrier } from '@policyvault/platform';
import type { RunItemEntity } from '../runs/run-item.entity.js';
import type { RunEntity } from '../runs/run.entity.js';

/** Anything that runs a statement: the DataSource or a transaction's EntityManager. */
export type Queryable = Pick<EntityManager, 'query'>;

// Returned rows carry the entity's property names, so they are RunEntity values as they are.
const RUN_AS_ENTITY = `
  id, tenant_id AS "tenantId", tenant_directory_id AS "tenantDirectoryId", type, target, scope,
  scope_hash AS "scopeHash", dedupe_key AS "dedupeKey", status, planned_items AS "plannedItems",
  expected_items AS "expectedItems", total_items AS "totalItems", succeeded_items AS "succeededItems",
  failed_items AS "failedItems", skipped_items AS "skippedItems", initiator_user_id AS "initiatorUserId",
  initiator_email AS "initiatorEmail", summary, error, cancel_requested AS "cancelRequested",
  queued_at AS "queuedAt", started_at AS "startedAt", finished_at AS "finishedAt", finish_reported_at AS "finishReportedAt"`;

/** One start as the batched insert reads it: the new run's columns and its two outbox rows, built in TS. */
export interface StartInputRow {
  id: string;
  tenant_id: string;
  tenant_directory_id: string;
  type: string;
  target: Record<string, unknown>;
  scope: Record<string, unknown>;
  scope_hash: string;
  dedupe_key: string;
  initiator_user_id: string;
  initiator_email: string;
  command_subject: string;
  command_message_id: string;
  command_payload: Record<string, unknown>;
  status_subject: string;
  status_message_id: string;
  status_payload: Record<string, unknown>;
  /** The gateway's Idempotency-Key anchor, recorded with the run (idempotency_anchors); null without one. */
  idempotency_anchor: string | null;
  /** The start's trace (both outbox rows continue it); null untraced. */
  trace_context: Record<string, string> | null;
}

// One statement per batch, so one transaction: each run, its command and its "queued" event commit
// together or not at all. The partial unique index on active runs turns a duplicate — in the batch,
// from another batch or another replica — into DO NOTHING (it waits for the first inserter to
// commit), and then neither outbox row is written. Rows are inserted in key order so that concurrent
// batches take index locks in the same order (no deadlock). A start sent with an Idempotency-Key
// records its anchor in the same statement, so a run never commits without it. The command's `queuedAt` and the
// "queued" event's `occurredAt` are the run's `queued_at` (its clock inside this transaction), as Date#toISOString
// spells it, not the moment the batch was built in TS before the statement waited its turn. Prepared: planning its
// CTEs costs about as much as running a small batch.
const INSERT_RUNS_WITH_OUTBOX = new PreparedStatement<RunEntity & { commandOutboxId: string | null; statusOutboxId: string | null; queuedAtIso: string }>(
  'run_service_insert_runs_with_outbox',
  `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
      id uuid, tenant_id uuid, tenant_directory_id text, type text, target jsonb, scope jsonb,
      scope_hash text, dedupe_key text, initiator_user_id uuid, initiator_email text,
      command_subject text, command_message_id text, command_payload jsonb,
      status_subject text, status_message_id text, status_payload jsonb, idempotency_anchor uuid, trace_context jsonb)
  ), inserted AS (
    INSERT INTO run_service.runs
      (id, tenant_id, tenant_directory_id, type, target, scope, scope_hash, dedupe_key, status,
       initiator_user_id, initiator_email)
    SELECT id, tenant_id, tenant_directory_id, type, target, scope, scope_hash, dedupe_key, 'queued',
           initiator_user_id, initiator_email
    FROM input ORDER BY dedupe_key, id
    ON CONFLICT (dedupe_key) WHERE status IN ('queued', 'running') DO NOTHING
    RETURNING *, to_char(queued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS queued_at_iso
  ), command AS (
    INSERT INTO run_service.outbox (subject, message_id, payload, trace_context)
    SELECT input.command_subject, input.command_message_id, jsonb_set(input.command_payload, '{queuedAt}', to_jsonb(inserted.queued_at_iso)),
           input.trace_context
    FROM input JOIN inserted USING (id)
    RETURNING id, message_id
  ), status_event AS (
    INSERT INTO run_service.outbox (subject, message_id, payload, trace_context)
    SELECT input.status_subject, input.status_message_id, jsonb_set(input.status_payload, '{occurredAt}', to_jsonb(inserted.queued_at_iso)),
           input.trace_context
    FROM input JOIN inserted USING (id)
    RETURNING id, message_id
  ), outbox_ids AS (
    SELECT input.id, command.id AS command_outbox_id, status_event.id AS status_outbox_id
    FROM input JOIN command ON command.message_id = input.command_message_id
    JOIN status_event ON status_event.message_id = input.status_message_id
  ), anchored AS (
    INSERT INTO run_service.idempotency_anchors (tenant_id, anchor, run_id)
    SELECT input.tenant_id, input.idempotency_anchor, input.id FROM input JOIN inserted USING (id)
    WHERE input.idempotency_anchor IS NOT NULL
    ON CONFLICT DO NOTHING
  )
  SELECT ${RUN_AS_ENTITY}, outbox_ids.command_outbox_id::text AS "commandOutboxId", outbox_ids.status_outbox_id::text AS "statusOutboxId",
         queued_at_iso AS "queuedAtIso"
  FROM inserted LEFT JOIN outbox_ids USING (id)`,
);

/** A run the batched insert wrote, with the ids of its two outbox rows (command, "queued" event). */
export interface InsertedStart {
  run: RunEntity;
  outboxIds: { command: string; status: string } | null;
  /** The run's `queued_at` as its two outbox payloads carry it (the command's `queuedAt`, the event's `occurredAt`). */
  queuedAtIso: string;
}

/** Inserts the runs with their outbox rows; returns the runs inserted (a key with an active run is skipped). */
export async function insertRunsWithOutbox(database: DataSource | EntityManager, starts: StartInputRow[]): Promise<InsertedStart[]> {
  const rows = await INSERT_RUNS_WITH_OUTBOX.rows(database, [JSON.stringify(starts)]);
  return rows.map(({ commandOutboxId, statusOutboxId, queuedAtIso, ...run }) => ({
    run,
    outboxIds: commandOutboxId && statusOutboxId ? { command: commandOutboxId, status: statusOutboxId } : null,
    queuedAtIso,
  }));
}

/** The counts of a run's items, as written into the run. */
export interface RunItemCounts {
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
}

// Counts are always derived from the items, never incremented: redelivered events cannot skew them.
// One UPDATE … FROM (aggregate) round trip; `items` is where the run's items are read from (a relation with a status
// per item), `returning` adds columns of the updated run (alias r) to the answer.
const recountSql = (items: string, returning: string) => `
  UPDATE run_service.runs AS r SET
    succeeded_items = c.succeeded,
    failed_items = c.failed,
    skipped_items = c.skipped,
    total_items = GREATEST(COALESCE(r.planned_items, 0), c.total)
  FROM (
    SELECT count(*)::int AS total,
           count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded,
           count(*) FILTER (WHERE status = 'failed')::int AS failed,
           count(*) FILTER (WHERE status = 'skipped')::int AS skipped
    FROM ${items}
  ) AS c
  WHERE r.id = $1
  RETURNING c.total, c.succeeded, c.failed, c.skipped${returning ? `, ${returning}` : ''}`;
const RECOUNT_RUN_ITEMS = new PreparedStatement<RunItemCounts>('run_service_recount_run_items', recountSql('run_service.run_items WHERE run_id = $1', ''));

/** Call only with a run already found in its tenant (and locked). */
export async function recountRunItems(manager: DataSource | EntityManager, runId: string): Promise<RunItemCounts> {
  const [counts] = await RECOUNT_RUN_ITEMS.rows(manager, [runId]);
  return counts;
}

/**
 * Item reports of one run upserted, then the run recounted, in one round trip, answering the counts with the run's
 * `columns` (a list qualified by the alias r) as they are after: what an item batch does. A later report of an item
 * replaces an earlier one, never the reverse (the conditional DO UPDATE … WHERE the query builder's upsert cannot
 * say). One statement does not see its own writes, so it counts the rows it wrote (their new status) and the run's
 * other items as they were. Call only with the run locked in the caller's transaction by an earlier statement: this
 * one's snapshot, taken after the lock, then holds every item another transaction wrote for the run.
 * $1 the run, then one array per column: $2 item keys, $3 statuses, $4 labels, $5 outcomes, $6 errors and $7 results
 * as JSON texts, $8 finish times. Prepared under `name` (one per list of columns).
 */
export function recordRunItemsReturning(name: string, columns: string): PreparedStatement<RunItemCounts & Record<string, unknown>> {
  return new PreparedStatement(
    name,
    `
  WITH written AS (
    INSERT INTO run_service.run_items (run_id, item_key, status, label, outcome, error, result, finished_at)
    SELECT $1, item.item_key, item.status, item.label, item.outcome, item.error::jsonb, item.result::jsonb, item.finished_at
    FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
      AS item (item_key, status, label, outcome, error, result, finished_at)
    ON CONFLICT (run_id, item_key) DO UPDATE SET
      status = EXCLUDED.status, label = EXCLUDED.label, outcome = EXCLUDED.outcome,
      error = EXCLUDED.error, result = EXCLUDED.result, finished_at = EXCLUDED.finished_at
    WHERE run_service.run_items.finished_at < EXCLUDED.finished_at
    RETURNING item_key, status
  ), items AS (
    SELECT status FROM written
    UNION ALL
    SELECT i.status FROM run_service.run_items i
    WHERE i.run_id = $1 AND NOT EXISTS (SELECT 1 FROM written WHERE written.item_key = i.item_key)
  )${recountSql('items', columns)}`,
  );
}

/**
 * The values of `recordRunItemsReturning` after $1 for items of one run, as if upserted one after the other in the
 * given order: of several reports of one item the latest wins, the first of equally late ones (one statement may not
 * touch a row twice).
 */
export function runItemsParameters(items: RunItemEntity[]): unknown[] {
  const latest = new Map<string, RunItemEntity>();
  for (const item of items) {
    const kept = latest.get(item.itemKey);
    if (!kept || kept.finishedAt < item.finishedAt) latest.set(item.itemKey, item);
  }
  const rows = [...latest.values()];
  const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
  return [
    rows.map((item) => item.itemKey),
    rows.map((item) => item.status),
    rows.map((item) => item.label),
    rows.map((item) => item.outcome),
    jsonTextsParameter(rows.map((item) => json(item.error))),
    jsonTextsParameter(rows.map((item) => json(item.result))),
    rows.map((item) => item.finishedAt),
  ];
}

/** An outbox row to write: where it goes, its de-duplication id (unique) and its payload. */
export interface NewOutboxRow {
  subject: string;
  messageId: string;
  payload: Record<string, unknown>;
  traceContext: TraceCarrier | null;
}

/**
 * Writes an outbox row in the caller's transaction, and answers it as the relay publishes it (its id added); a
 * row already written under its message id is kept, and answers undefined.
 */
const INSERT_OUTBOX_ROW = new PreparedStatement<{ id: string }>(
  'run_service_insert_outbox_row',
  `INSERT INTO run_service.outbox (subject, message_id, payload, trace_context) VALUES ($1, $2, $3::jsonb, $4::jsonb)
   ON CONFLICT (message_id) DO NOTHING RETURNING id::text`,
);

export async function insertOutboxRow(manager: DataSource | EntityManager, row: NewOutboxRow): Promise<ClaimedOutboxRow | undefined> {
  const [inserted] = await INSERT_OUTBOX_ROW.rows(manager, [
    row.subject,
    row.messageId,
    JSON.stringify(row.payload),
    row.traceContext === null ? null : JSON.stringify(row.traceContext),
  ]);
  return inserted && { id: inserted.id, subject: row.subject, messageId: row.messageId, payload: row.payload, traceContext: row.traceContext };
}

// ---------------------------------------------------------------------------------------------------
// The fleet overview: per-tenant aggregates for many tenants in one statement (no query per tenant).
// Each tenant's "latest run of a kind" (access check with a health, succeeded backup, failed run,
// succeeded drift check) is kept in `tenant_fleet_status`, maintained in the transaction that ends a
// run (recordFleetOutcome, newer wins), so the overview reads one narrow row per tenant instead of
// ~7 index probes; active runs are counted from the small partial index runs_tenant_active.

/** The run types whose outcomes the fleet status keeps (FLEET_RUN_KINDS). */
export interface FleetRunKinds {
  accessCheck: string;
  backups: string[];
  driftCheck: string;
}

// The columns of each kind, all set together when that kind's newer run ends. `at` decides "newer".
const FLEET_KIND_COLUMNS = {
  access_at: ['access_run_id', 'access_at', 'access_summary'],
  backup_at: ['backup_run_id', 'backup_type', 'backup_at', 'backup_set_id', 'backup_items'],
  failed_at: ['failed_run_id', 'failed_type', 'failed_at', 'failed_code'],
  drift_at: ['drift_run_id', 'drift_at', 'drift_summary'],
} as const;
const FLEET_COLUMNS = Object.values(FLEET_KIND_COLUMNS).flat();

// Every set of kind columns of the upsert: the incoming run's when it is of that kind and at least as
// recent as what the row holds (re-evaluated on the row's latest version when two runs of a tenant end at once).
const NEWER_WINS = Object.entries(FLEET_KIND_COLUMNS)
  .flatMap(([at, columns]) =>
    columns.map((column) => `${column} = CASE WHEN EXCLUDED.${at} IS NOT NULL AND (s.${at} IS NULL OR EXCLUDED.${at} >= s.${at}) THEN EXCLUDED.${column} ELSE s.${column} END`),
  )
  .join(',\n    ');

// One ended run as the candidate of each kind it counts for (NULLs for the kinds it does not).
const RECORD_FLEET_OUTCOME = `
  INSERT INTO run_service.tenant_fleet_status AS s (tenant_id, ${FLEET_COLUMNS.join(', ')})
  SELECT r.tenant_id,
         CASE WHEN k.access THEN r.id END, CASE WHEN k.access THEN r.finished_at END, CASE WHEN k.access THEN r.summary END,
         CASE WHEN k.backup THEN r.id END, CASE WHEN k.backup THEN r.type END, CASE WHEN k.backup THEN r.finished_at END,
         CASE WHEN k.backup THEN r.summary ->> 'backupSetId' END, CASE WHEN k.backup THEN r.succeeded_items END,
         CASE WHEN k.failed THEN r.id END, CASE WHEN k.failed THEN r.type END, CASE WHEN k.failed THEN r.finished_at END,
         CASE WHEN k.failed THEN r.error ->> 'code' END,
         CASE WHEN k.drift THEN r.id END, CASE WHEN k.drift THEN r.finished_at END, CASE WHEN k.drift THEN r.summary END
  FROM run_service.runs r
  CROSS JOIN LATERAL (SELECT
    r.type = $2 AND r.summary ->> 'health' IS NOT NULL AS access,
    r.type = ANY($3::text[]) AND r.status = 'succeeded' AS backup,
    r.status = 'failed' AS failed,
    r.type = $4 AND r.status = 'succeeded' AS drift) k
  WHERE r.id = $1 AND r.tenant_id = $5 AND r.finished_at IS NOT NULL AND (k.access OR k.backup OR k.failed OR k.drift)
  ON CONFLICT (tenant_id) DO UPDATE SET
    ${NEWER_WINS}`;

/** Call in the transaction that ended the run (found in its tenant and locked): its outcome enters the tenant's fleet status. */
export async function recordFleetOutcome(manager: Queryable, run: Pick<RunEntity, 'id' | 'tenantId'>, kinds: FleetRunKinds): Promise<void> {
  await manager.query(RECORD_FLEET_OUTCOME, [run.id, kinds.accessCheck, kinds.backups, kinds.driftCheck, run.tenantId]);
}

// Every tenant's fleet status computed from its runs (each kind one short backward index scan): the
// migration's backfill, and a bench that writes runs straight into the table.
const REFRESH_FLEET_STATUS = `
  INSERT INTO run_service.tenant_fleet_status AS s (tenant_id, ${FLEET_COLUMNS.join(', ')})
  SELECT tenant.id, access.id, access.finished_at, access.summary,
         backup.id, backup.type, backup.finished_at, backup.summary ->> 'backupSetId', backup.succeeded_items,
         failed.id, failed.type, failed.finished_at, failed.error ->> 'code',
         drift.id, drift.finished_at, drift.summary
  FROM (SELECT DISTINCT tenant_id AS id FROM run_service.runs WHERE finished_at IS NOT NULL) tenant
  LEFT JOIN LATERAL (
    SELECT r.id, r.finished_at, r.summary FROM run_service.runs r
    WHERE r.tenant_id = tenant.id AND r.type = $1 AND r.finished_at IS NOT NULL AND r.summary ->> 'health' IS NOT NULL
    ORDER BY r.finished_at DESC LIMIT 1
  ) access ON true
  LEFT JOIN LATERAL (
    SELECT r.id, r.type, r.finished_at, r.summary, r.succeeded_items FROM run_service.runs r
    WHERE r.tenant_id = tenant.id AND r.type = ANY($2::text[]) AND r.finished_at IS NOT NULL AND r.status = 'succeeded'
    ORDER BY r.finished_at DESC LIMIT 1
  ) backup ON true
  LEFT JOIN LATERAL (
    SELECT r.id, r.type, r.finished_at, r.error FROM run_service.runs r
    WHERE r.tenant_id = tenant.id AND r.status = 'failed' AND r.finished_at IS NOT NULL
    ORDER BY r.finished_at DESC LIMIT 1
  ) failed ON true
  LEFT JOIN LATERAL (
    SELECT r.id, r.finished_at, r.summary FROM run_service.runs r
    WHERE r.tenant_id = tenant.id AND r.type = $3 AND r.finished_at IS NOT NULL AND r.status = 'succeeded'
    ORDER BY r.finished_at DESC LIMIT 1
  ) drift ON true
  WHERE access.id IS NOT NULL OR backup.id IS NOT NULL OR failed.id IS NOT NULL OR drift.id IS NOT NULL
  ON CONFLICT (tenant_id) DO UPDATE SET ${FLEET_COLUMNS.map((column) => `${column} = EXCLUDED.${column}`).join(', ')}`;

export async function refreshFleetStatus(database: Queryable, kinds: FleetRunKinds): Promise<void> {
  await database.query(REFRESH_FLEET_STATUS, [kinds.accessCheck, kinds.backups, kinds.driftCheck]);
}

/** What the fleet statement reads per tenant. */
export interface FleetStatusParameters {
  tenantIds: string[];
  health: string | null;
  drift: string | null;
  noSuccessfulBackupSince: string | null;
  limit: number;
  offset: number;
}

/** One tenant of the page (or, on an empty page, only `total`). */
export interface FleetStatusRow {
  total: number;
  tenant_id: string | null;
  health: string | null;
  access_run_id: string | null;
  access_at: Date | null;
  access_summary: Record<string, unknown> | null;
  backup_run_id: string | null;
  backup_type: string | null;
  backup_at: Date | null;
  backup_set_id: string | null;
  backup_items: number | null;
  failed_run_id: string | null;
  failed_type: string | null;
  failed_at: Date | null;
  failed_code: string | null;
  active_runs: number;
  drift_run_id: string | null;
  drift_at: Date | null;
  drift_summary: Record<string, unknown> | null;
  drift_status: string | null;
  enabled_schedules: number | null;
  schedule_items: FleetScheduleJson[] | null;
}

/** A schedule as the statement builds it in jsonb (timestamps as Postgres writes them). */
export interface FleetScheduleJson {
  id: string;
  name: string;
  nextRunAt: string | null;
  lastSlotAt: string | null;
  lastStatus: string | null;
  lastRunId: string | null;
}

const FLEET_MATCHING = `
  WITH tenant AS (
    SELECT id, ord FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, ord)
  ), active AS (
    -- Every active run of the installation (few; the partial index runs_tenant_active): no array filter,
    -- whose planning over thousands of ids costs more than the scan.
    SELECT r.tenant_id, count(*)::int AS count FROM run_service.runs r
    WHERE r.status IN ('queued', 'running')
    GROUP BY r.tenant_id
  ), status AS (
    SELECT tenant.id AS tenant_id, tenant.ord,
           f.access_run_id, f.access_at, f.access_summary, f.access_summary ->> 'health' AS health,
           f.backup_run_id, f.backup_type, f.backup_at, f.backup_set_id, f.backup_items,
           f.failed_run_id, f.failed_type, f.failed_at, f.failed_code,
           coalesce(active.count, 0) AS active_runs,
           f.drift_run_id, f.drift_at, f.drift_summary, f.drift_summary ->> 'driftStatus' AS drift_status
    FROM tenant
    LEFT JOIN run_service.tenant_fleet_status f ON f.tenant_id = tenant.id
    LEFT JOIN active ON active.tenant_id = tenant.id
  ), matching AS (
    SELECT * FROM status
    WHERE ($2::text IS NULL OR coalesce(health, 'unknown') = $2)
      AND ($3::text IS NULL OR coalesce(drift_status, 'unknown') = $3)
      AND ($4::timestamptz IS NULL OR backup_at IS NULL OR backup_at < $4)
  )`;

// `order` is one of FLEET_ORDER_SQL's fragments (never caller text); the name order (ord) breaks ties.
const fleetPageStatement = (order: string) => `${FLEET_MATCHING}, page AS (
    SELECT * FROM matching ORDER BY ${order}, ord LIMIT $5 OFFSET $6
  )
  SELECT counted.total, page.*, schedules.enabled_schedules, schedules.schedule_items
  FROM (SELECT count(*)::int AS total FROM matching) counted
  LEFT JOIN page ON true
  LEFT JOIN LATERAL (
    SELECT count(*)::int AS enabled_schedules,
           coalesce(jsonb_agg(jsonb_build_object(
             'id', s.id, 'name', s.name, 'nextRunAt', s.next_run_at,
             'lastSlotAt', last.slot_at, 'lastStatus', last.outcome, 'lastRunId', last.run_id
           ) ORDER BY s.created_at, s.id), '[]'::jsonb) AS schedule_items
    FROM run_service.backup_schedules s
    LEFT JOIN LATERAL (
      SELECT slot.slot_at, slot.run_id, CASE WHEN slot.status = 'skipped' THEN 'skipped' ELSE slot_run.status END AS outcome
      FROM run_service.schedule_slots slot
      LEFT JOIN run_service.runs slot_run ON slot_run.id = slot.run_id AND slot_run.tenant_id = s.tenant_id
      WHERE slot.schedule_id = s.id
      ORDER BY slot.slot_at DESC LIMIT 1
    ) last ON true
    WHERE s.tenant_id = page.tenant_id AND s.enabled AND s.deleted_at IS NULL
  ) schedules ON page.tenant_id IS NOT NULL
  ORDER BY ${order}, ord`;

const fleetIdsStatement = (order: string) => `${FLEET_MATCHING}
  SELECT tenant_id FROM matching ORDER BY ${order}, ord`;

function fleetParameters(parameters: FleetStatusParameters): unknown[] {
  return [parameters.tenantIds, parameters.health, parameters.drift, parameters.noSuccessfulBackupSince];
}

/** The page of matching tenants with their aggregates; one row with only `total` when the page is empty. */
export async function selectFleetPage(database: Queryable, order: string, parameters: FleetStatusParameters): Promise<FleetStatusRow[]> {
  return (await database.query(fleetPageStatement(order), [...fleetParameters(parameters), parameters.limit, parameters.offset])) as FleetStatusRow[];
}

/** Every matching tenant id, in order. */
export async function selectFleetTenantIds(database: Queryable, order: string, parameters: FleetStatusParameters): Promise<string[]> {
  const rows = (await database.query(fleetIdsStatement(order), fleetParameters(parameters))) as { tenant_id: string }[];
  return rows.map((row) => row.tenant_id);
}

/** A run's status as a fleet batch lists it. */
export interface RunStatusRow {
  runId: string;
  tenantId: string;
  status: string;
  errorCode: string | null;
  finishedAt: Date | null;
}

// Each run is looked up with its tenant: a run id given with the wrong tenant is not found.
const SELECT_RUN_STATUSES = `
  SELECT r.id AS "runId", r.tenant_id AS "tenantId", r.status, r.error ->> 'code' AS "errorCode", r.finished_at AS "finishedAt"
  FROM unnest($1::uuid[], $2::uuid[]) AS ref(tenant_id, id)
  JOIN run_service.runs r ON r.id = ref.id AND r.tenant_id = ref.tenant_id`;

export async function selectRunStatuses(database: Queryable, runs: { tenantId: string; runId: string }[]): Promise<RunStatusRow[]> {
  return (await database.query(SELECT_RUN_STATUSES, [runs.map((run) => run.tenantId), runs.map((run) => run.runId)])) as RunStatusRow[];
}

/** An outbox row as the relay claims it (property names of OutboxEntity). */
export interface ClaimedOutboxRow {
  id: string;
  subject: string;
  messageId: string;
  payload: Record<string, unknown>;
  traceContext: Record<string, string> | null;
}

/**
 * A connection of the pool (`pg` client) used directly: a query without parameters goes over the simple
 * protocol, which takes several statements in one round trip and answers with one result per statement.
 */
export interface SimpleQueryConnection {
  query(text: string): Promise<unknown>;
}

interface StatementResult<Row> {
  rows: Row[];
}

// The relay's pass is two round trips around its publish: this one begins the transaction and locks the
// oldest unsent rows (other replicas' passes skip them); the second marks the published ones and commits.
// A pass may leave the rows written in the last `settledMs` to whoever committed them (a start batch publishes
// its own rows right after its commit).
const BEGIN_AND_CLAIM_UNSENT_OUTBOX = (limit: number, settledMs: number) => `BEGIN;
  SELECT id, subject, message_id AS "messageId", payload, trace_context AS "traceContext"
  FROM run_service.outbox WHERE sent_at IS NULL${settledMs > 0 ? ` AND created_at < now() - interval '${settledMs} milliseconds'` : ''}
  ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;

// Ids are written into the statement (a statement with parameters cannot carry a COMMIT): each is checked
// to be the bigint column's own digits first.
const MARK_OUTBOX_SENT_AND_COMMIT = (ids: string) => `
  UPDATE run_service.outbox SET sent_at = clock_timestamp(), attempts = attempts + 1 WHERE id = ANY('{${ids}}'::bigint[])
  RETURNING extract(epoch FROM sent_at - created_at)::float8 AS lag;
  COMMIT`;

function bigintLiterals(ids: string[]): string {
  for (const id of ids) if (!/^\d{1,19}$/.test(id)) throw new Error(`outbox id ${JSON.stringify(id)} is not a bigint`);
  return ids.join(',');
}

/**
 * Begins the relay's transaction and locks up to `limit` unsent rows, oldest first, in one round trip; with
 * `settledMs`, only rows written at least that long ago.
 */
export async function beginAndClaimUnsentOutbox(connection: SimpleQueryConnection, limit: number, settledMs = 0): Promise<ClaimedOutboxRow[]> {
  if (!Number.isInteger(limit) || limit <= 0) throw new Error(`outbox batch size ${limit} is not a positive integer`);
  if (!Number.isInteger(settledMs) || settledMs < 0) throw new Error(`outbox settle time ${settledMs} is not a non-negative integer`);
  const [, claimed] = (await connection.query(BEGIN_AND_CLAIM_UNSENT_OUTBOX(limit, settledMs))) as [unknown, StatementResult<ClaimedOutboxRow>];
  return claimed.rows;
}

// Rows another pass marked meanwhile (it claimed them while they were being published here) stay as they are.
const MARK_OUTBOX_SENT = `
  UPDATE run_service.outbox SET sent_at = clock_timestamp(), attempts = attempts + 1
  WHERE id = ANY($1::bigint[]) AND sent_at IS NULL
  RETURNING id::text, extract(epoch FROM sent_at - created_at)::float8 AS lag`;

/**
 * Marks published rows sent, in a statement of its own (rows not claimed by a relay pass); returns the rows it
 * marked, each with its commit → sent lag in seconds.
 */
export async function markOutboxSent(database: Queryable, ids: string[]): Promise<{ id: string; lag: number }[]> {
  const [rows] = (await database.query(MARK_OUTBOX_SENT, [ids])) as [{ id: string; lag: number }[], number];
  return rows.map((row) => ({ id: row.id, lag: Number(row.lag) }));
}

/** Marks the rows sent and commits the relay's transaction, in one round trip; returns each row's commit → sent lag in seconds. */
export async function markOutboxSentAndCommit(connection: SimpleQueryConnection, ids: string[]): Promise<number[]> {
  const [marked] = (await connection.query(MARK_OUTBOX_SENT_AND_COMMIT(bigintLiterals(ids)))) as [StatementResult<{ lag: number }>, unknown];
  return marked.rows.map((row) => Number(row.lag));
}

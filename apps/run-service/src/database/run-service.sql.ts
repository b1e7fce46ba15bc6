// The only hand-written SQL of run-service: hot-path statements the query builder cannot express in
// one round trip. Everything else goes through the entities (repositories or the query builder).
// Each statement is listed with the row type it reads or returns.
import type { EntityManager } from 'typeorm';
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
  queued_at AS "queuedAt", started_at AS "startedAt", finished_at AS "finishedAt"`;

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
}

// One statement per batch, so one transaction: each run, its command and its "queued" event commit
// together or not at all. The partial unique index on active runs turns a duplicate — in the batch,
// from another batch or another replica — into DO NOTHING (it waits for the first inserter to
// commit), and then neither outbox row is written. Rows are inserted in key order so that concurrent
// batches take index locks in the same order (no deadlock).
const INSERT_RUNS_WITH_OUTBOX = `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
      id uuid, tenant_id uuid, tenant_directory_id text, type text, target jsonb, scope jsonb,
      scope_hash text, dedupe_key text, initiator_user_id uuid, initiator_email text,
      command_subject text, command_message_id text, command_payload jsonb,
      status_subject text, status_message_id text, status_payload jsonb)
  ), inserted AS (
    INSERT INTO run_service.runs
      (id, tenant_id, tenant_directory_id, type, target, scope, scope_hash, dedupe_key, status,
       initiator_user_id, initiator_email)
    SELECT id, tenant_id, tenant_directory_id, type, target, scope, scope_hash, dedupe_key, 'queued',
           initiator_user_id, initiator_email
    FROM input ORDER BY dedupe_key, id
    ON CONFLICT (dedupe_key) WHERE status IN ('queued', 'running') DO NOTHING
    RETURNING *
  ), command AS (
    INSERT INTO run_service.outbox (subject, message_id, payload)
    SELECT input.command_subject, input.command_message_id, input.command_payload FROM input JOIN inserted USING (id)
  ), status_event AS (
    INSERT INTO run_service.outbox (subject, message_id, payload)
    SELECT input.status_subject, input.status_message_id, input.status_payload FROM input JOIN inserted USING (id)
  )
  SELECT ${RUN_AS_ENTITY} FROM inserted`;

/** Inserts the runs with their outbox rows; returns the runs inserted (a key with an active run is skipped). */
export async function insertRunsWithOutbox(database: Queryable, starts: StartInputRow[]): Promise<RunEntity[]> {
  return (await database.query(INSERT_RUNS_WITH_OUTBOX, [JSON.stringify(starts)])) as RunEntity[];
}

/** The counts of a run's items, as written into the run. */
export interface RunItemCounts {
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
}

// Counts are always derived from the items, never incremented: redelivered events cannot skew them.
// One UPDATE … FROM (aggregate) round trip, on the apply path of every item event.
const RECOUNT_RUN_ITEMS = `
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
    FROM run_service.run_items WHERE run_id = $1
  ) AS c
  WHERE r.id = $1
  RETURNING c.total, c.succeeded, c.failed, c.skipped`;

/** Call only with a run already found in its tenant (and locked). */
export async function recountRunItems(manager: Queryable, runId: string): Promise<RunItemCounts> {
  // An UPDATE … RETURNING answers [rows, affected].
  const [rows] = (await manager.query(RECOUNT_RUN_ITEMS, [runId])) as [RunItemCounts[], number];
  return rows[0];
}

// A later report of the same item (a retried item) replaces an earlier one, never the reverse: the
// conditional DO UPDATE … WHERE is what the query builder's upsert cannot say.
const UPSERT_RUN_ITEM = `
  INSERT INTO run_service.run_items (run_id, item_key, status, label, outcome, error, result, finished_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
  ON CONFLICT (run_id, item_key) DO UPDATE SET
    status = EXCLUDED.status, label = EXCLUDED.label, outcome = EXCLUDED.outcome,
    error = EXCLUDED.error, result = EXCLUDED.result, finished_at = EXCLUDED.finished_at
  WHERE run_service.run_items.finished_at < EXCLUDED.finished_at`;

/** Call only with a run already found in its tenant (and locked). */
export async function upsertRunItem(manager: Queryable, item: RunItemEntity): Promise<void> {
  await manager.query(UPSERT_RUN_ITEM, [
    item.runId,
    item.itemKey,
    item.status,
    item.label,
    item.outcome,
    item.error,
    item.result,
    item.finishedAt,
  ]);
}

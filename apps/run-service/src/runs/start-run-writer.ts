import type { DataSource } from 'typeorm';
import type { RunRow } from './run-view.mapper.js';
import { RUN_STATUS_EVENT_COLUMNS } from '../status/run-status-outbox.js';

/** One start, ready to be written: the run row's values and its command. */
export interface PendingStart {
  id: string;
  tenantId: string;
  tenantDirectoryId: string;
  type: string;
  target: Record<string, unknown>;
  scope: Record<string, unknown>;
  scopeHash: string;
  dedupeKey: string;
  initiatorUserId: string;
  initiatorEmail: string;
  subject: string;
  messageId: string;
  payload: Record<string, unknown>;
}

/** The run that answers a start: the one inserted, the active one with its key, or none (retry). */
export type StartWriteResult = { run: RunRow; reused: boolean } | undefined;

// One statement per batch, so one transaction: each run and its command commit together or not at
// all. The partial unique index on active runs turns a duplicate — in the batch, from another
// batch or another replica — into DO NOTHING (it waits for the first inserter to commit). Rows are
// inserted in key order so that concurrent batches take index locks in the same order (no deadlock).
const INSERT_RUNS_WITH_COMMANDS = `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
      id uuid, tenant_id uuid, tenant_directory_id text, type text, target jsonb, scope jsonb,
      scope_hash text, dedupe_key text, initiator_user_id uuid, initiator_email text,
      subject text, message_id text, payload jsonb)
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
    SELECT input.subject, input.message_id, input.payload FROM input JOIN inserted USING (id)
  ), status_event AS (
    INSERT INTO run_service.outbox (subject, message_id, payload)
    SELECT $2 || i.tenant_id, 'run:' || i.id || ':status:queued', ${RUN_STATUS_EVENT_COLUMNS('i', "'status:queued'")}
    FROM inserted i
  )
  SELECT * FROM inserted`;

export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** Inserts runs with their command and "queued" status event, skipping keys with an active run. */
export async function insertRunsWithCommands(
  database: Queryable,
  starts: PendingStart[],
  statusSubjectPrefix: string,
): Promise<RunRow[]> {
  return (await database.query(INSERT_RUNS_WITH_COMMANDS, [JSON.stringify(starts.map(toRecord)), statusSubjectPrefix])) as RunRow[];
}

const SELECT_ACTIVE_RUNS = `
  SELECT * FROM run_service.runs WHERE dedupe_key = ANY($1) AND status IN ('queued', 'running')`;

const MAX_BATCH = 200;
const MAX_CONCURRENT_BATCHES = 4;

interface Waiter {
  start: PendingStart;
  resolve: (result: StartWriteResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes concurrent starts in small batches: starts that arrive while earlier batches are being
 * written share the next statement and its commit. Under load that turns hundreds of commits per
 * second into a few dozen, with the same guarantees as one statement per start.
 */
export class StartRunWriter {
  private queue: Waiter[] = [];
  private inFlight = 0;

  constructor(
    private readonly database: DataSource,
    /** `<ns>.evt.run.status.v1.`: each new run also announces its "queued" transition. */
    private readonly statusSubjectPrefix: string,
  ) {}

  write(start: PendingStart): Promise<StartWriteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ start, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.inFlight < MAX_CONCURRENT_BATCHES) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight += 1;
      void this.writeBatch(batch).finally(() => {
        this.inFlight -= 1;
        this.flush();
      });
    }
  }

  private async writeBatch(batch: Waiter[]): Promise<void> {
    try {
      const inserted = await insertRunsWithCommands(this.database, batch.map(({ start }) => start), this.statusSubjectPrefix);
      const insertedIds = new Set(inserted.map((row) => row.id));
      const others = batch.filter(({ start }) => !insertedIds.has(start.id));
      const active: RunRow[] =
        others.length > 0 ? await this.database.query(SELECT_ACTIVE_RUNS, [[...new Set(others.map(({ start }) => start.dedupeKey))]]) : [];
      const insertedById = new Map(inserted.map((row) => [row.id, row]));
      const activeByKey = new Map(active.map((row) => [row.dedupe_key, row]));
      for (const { start, resolve } of batch) {
        const own = insertedById.get(start.id);
        if (own) resolve({ run: own, reused: false });
        else {
          const existing = activeByKey.get(start.dedupeKey);
          resolve(existing ? { run: existing, reused: true } : undefined);
        }
      }
    } catch (error) {
      for (const { reject } of batch) reject(error);
    }
  }
}

function toRecord(start: PendingStart) {
  return {
    id: start.id,
    tenant_id: start.tenantId,
    tenant_directory_id: start.tenantDirectoryId,
    type: start.type,
    target: start.target,
    scope: start.scope,
    scope_hash: start.scopeHash,
    dedupe_key: start.dedupeKey,
    initiator_user_id: start.initiatorUserId,
    initiator_email: start.initiatorEmail,
    subject: start.subject,
    message_id: start.messageId,
    payload: start.payload,
  };
}

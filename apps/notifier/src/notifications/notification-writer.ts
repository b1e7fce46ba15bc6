import type { RunStatus, RunType, SafeError } from '@policyvault/contracts';

/** One notification as stored: a row of `notifier.notifications` without its generated columns. */
export interface NotificationRow {
  userId: string;
  tenantId: string;
  runId: string;
  runType: RunType;
  status: RunStatus;
  title: string;
  body: string;
  error: SafeError | null;
  link: string;
  eventId: string;
  occurredAt: string;
}

/** The part of a TypeORM DataSource the writer uses (each call is its own transaction). */
export interface SqlExecutor {
  query(sql: string, parameters: unknown[]): Promise<{ run_id: string; status: string }[]>;
}

export interface NotificationWriterLimits {
  /** Rows per INSERT (11 parameters each; Postgres allows 65,535). */
  maxBatchSize: number;
  /** INSERTs running at once; rows arriving meanwhile wait and form the next batch. */
  maxBatchesInFlight: number;
}

const DEFAULT_LIMITS: NotificationWriterLimits = { maxBatchSize: 100, maxBatchesInFlight: 2 };
const COLUMNS = ['user_id', 'tenant_id', 'run_id', 'run_type', 'status', 'title', 'body', 'error', 'link', 'event_id', 'occurred_at'];

interface Pending {
  row: NotificationRow;
  resolve(created: boolean): void;
  reject(error: unknown): void;
}

/**
 * Group commit for notifications: the rows that concurrent handlers write within one event-loop tick go
 * to Postgres as one multi-row `INSERT … ON CONFLICT (run_id, status) DO NOTHING`, and each caller's
 * promise settles only when that statement has committed, so its message is still acknowledged after its
 * notification is durable. The unique index keeps it exactly once per (run, transition), whichever batch,
 * replica or redelivery carries the row.
 */
export class NotificationWriter {
  private queue: Pending[] = [];
  private flushScheduled = false;
  private batchesInFlight = 0;

  constructor(
    private readonly database: SqlExecutor,
    private readonly limits: NotificationWriterLimits = DEFAULT_LIMITS,
  ) {}

  /** Resolves to true when this call created the notification, false when it already existed. */
  write(row: NotificationRow): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // After the current I/O callbacks: every handler started by the same delivery joins one batch.
        setImmediate(() => {
          this.flushScheduled = false;
          this.startBatches();
        });
      }
    });
  }

  private startBatches(): void {
    while (this.queue.length > 0 && this.batchesInFlight < this.limits.maxBatchesInFlight) {
      const batch = this.queue.splice(0, this.limits.maxBatchSize);
      this.batchesInFlight += 1;
      void this.commit(batch).finally(() => {
        this.batchesInFlight -= 1;
        this.startBatches();
      });
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    let inserted: Set<string>;
    try {
      inserted = await this.insert(batch.map((pending) => pending.row));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      // One bad row must not fail (and, redelivered together, keep failing) the rows beside it: each is
      // tried alone, one after another, so the batch still holds a single connection.
      for (const pending of batch) await this.commit([pending]);
      return;
    }
    // The same transition twice in one batch (a redelivery next to its original): one insert, one creator.
    for (const pending of batch) pending.resolve(inserted.delete(transitionKey(pending.row.runId, pending.row.status)));
  }

  private async insert(rows: NotificationRow[]): Promise<Set<string>> {
    const parameters: unknown[] = [];
    const tuples = rows.map((row) => {
      const first = parameters.length + 1;
      parameters.push(row.userId, row.tenantId, row.runId, row.runType, row.status, row.title, row.body, row.error, row.link, row.eventId, row.occurredAt);
      return `(${COLUMNS.map((_, index) => `$${first + index}`).join(', ')})`;
    });
    const created = await this.database.query(
      `INSERT INTO notifier.notifications (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}
       ON CONFLICT (run_id, status) DO NOTHING
       RETURNING run_id, status`,
      parameters,
    );
    return new Set(created.map((row) => transitionKey(row.run_id, row.status)));
  }
}

function transitionKey(runId: string, status: string): string {
  // Postgres returns uuids in lower case; an event may spell its run id in upper case.
  return `${runId.toLowerCase()}/${status}`;
}

import type { DataSource } from 'typeorm';
import type { RunStatus, RunType } from '@policyvault/contracts';
import { TurnBatches } from '@policyvault/platform';
import { NotificationEntity } from './notification.entity.js';

/** One run-transition notification to store: the entity without the columns Postgres fills in (`kind` stays null). */
export type NewNotification = Omit<NotificationEntity, 'id' | 'createdAt' | 'readAt' | 'kind' | 'runId' | 'runType' | 'status'> & {
  runId: string;
  runType: RunType;
  status: RunStatus;
};

type Transition = Pick<NewNotification, 'runId' | 'status' | 'userId'>;

/** Stores rows in one statement, skipping transitions already stored; returns the transitions it created. */
export type InsertNotifications = (rows: NewNotification[]) => Promise<Transition[]>;

/** The columns a notification is inserted with, in parameter order (the rest Postgres fills in). */
const INSERTED: readonly (keyof NewNotification)[] = ['userId', 'tenantId', 'runId', 'runType', 'status', 'title', 'body', 'error', 'link', 'eventId', 'occurredAt'];

/**
 * One multi-row `INSERT … ON CONFLICT (run_id, status, user_id) DO NOTHING RETURNING run_id, status, user_id`,
 * as plain parameterized SQL (built from the entity's metadata once): TypeORM's query builder cost more CPU
 * per batch than the statement itself.
 */
export function insertNotifications(database: DataSource): InsertNotifications {
  let statement: ((rowCount: number) => string) | undefined;
  const sql = (rowCount: number) => {
    if (!statement) {
      const metadata = database.getMetadata(NotificationEntity);
      const columns = INSERTED.map((property) => metadata.findColumnWithPropertyName(property)!);
      const names = columns.map((column) => `"${column.databaseName}"`).join(', ');
      const casts = columns.map((column) => (column.type === 'jsonb' ? '::jsonb' : ''));
      statement = (count) => {
        const values = Array.from({ length: count }, (_, row) => `(${casts.map((cast, column) => `$${row * casts.length + column + 1}${cast}`).join(', ')})`);
        return `INSERT INTO ${metadata.tablePath} (${names}) VALUES ${values.join(', ')}
                ON CONFLICT (run_id, status, user_id) DO NOTHING RETURNING run_id, status, user_id`;
      };
    }
    return statement(rowCount);
  };
  return async (rows) => {
    const parameters = rows.flatMap((row) => INSERTED.map((property) => (property === 'error' ? (row.error == null ? null : JSON.stringify(row.error)) : row[property])));
    const created = (await database.query(sql(rows.length), parameters)) as { run_id: string; status: Transition['status']; user_id: string }[];
    return created.map((row) => ({ runId: row.run_id, status: row.status, userId: row.user_id }));
  };
}

export interface NotificationWriterLimits {
  /** Rows per INSERT (11 parameters each; Postgres allows 65,535). */
  maxBatchSize: number;
  /** INSERTs running at once; rows arriving meanwhile wait and form the next batch. */
  maxBatchesInFlight: number;
}

const DEFAULT_LIMITS: NotificationWriterLimits = { maxBatchSize: 100, maxBatchesInFlight: 2 };

interface Pending {
  row: NewNotification;
  resolve(created: boolean): void;
  reject(error: unknown): void;
}

/**
 * Group commit for notifications: the rows that concurrent handlers write within one event-loop tick go
 * to Postgres as one multi-row `INSERT … ON CONFLICT (run_id, status, user_id) DO NOTHING`, and each caller's
 * promise settles only when that statement has committed, so its message is still acknowledged after its
 * notification is durable. The unique index keeps it exactly once per (run, transition, recipient), whichever batch,
 * replica or redelivery carries the row.
 */
export class NotificationWriter {
  /** Every handler started by the same delivery joins one batch. */
  private readonly batches: TurnBatches<Pending>;

  constructor(
    private readonly insert: InsertNotifications,
    limits: NotificationWriterLimits = DEFAULT_LIMITS,
  ) {
    this.batches = new TurnBatches((batch) => this.commit(batch), { maxBatch: limits.maxBatchSize, maxInFlight: limits.maxBatchesInFlight });
  }

  /** Resolves to true when this call created the notification, false when it already existed. */
  write(row: NewNotification): Promise<boolean> {
    return new Promise((resolve, reject) => this.batches.add({ row, resolve, reject }));
  }

  private async commit(batch: Pending[]): Promise<void> {
    let inserted: Set<string>;
    try {
      const created = await this.insert(batch.map((pending) => pending.row));
      inserted = new Set(created.map(transitionKey));
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
    for (const pending of batch) pending.resolve(inserted.delete(transitionKey(pending.row)));
  }
}

function transitionKey({ runId, status, userId }: Transition): string {
  // Postgres returns uuids in lower case; an event may spell its ids in upper case.
  return `${runId.toLowerCase()}/${status}/${userId.toLowerCase()}`;
}

// The batched notification insert against real Postgres: exactly one row per (run, transition) however
// the copies of a transition are spread over batches, and a row Postgres refuses fails alone.
import { randomUUID } from 'node:crypto';
import { RunStatus, RunType, SafeErrorCode } from '@policyvault/contracts';
import { createTestDatabase, type TestDatabase } from '@policyvault/testing';
import { DataSource } from 'typeorm';
import { serviceDataSourceOptions } from '@policyvault/platform';
import { NOTIFIER_DATABASE } from '../src/database/notifier.schema.js';
import { NotificationWriter, insertNotifications, type InsertNotifications, type NewNotification } from '../src/notifications/notification-writer.js';

function row(runId: string, status: RunStatus, title = 'Backup set capture finished'): NewNotification {
  return {
    userId: '22222222-2222-4222-8222-222222222222',
    tenantId: '11111111-1111-4111-8111-111111111111',
    runId,
    runType: RunType.BackupSetCreate,
    status,
    title,
    body: '58 of 60 items succeeded, 2 skipped.',
    error: status === RunStatus.Partial ? { code: SafeErrorCode.GraphThrottled, message: 'Throttled.' } : null,
    link: `https://ui.test/runs/${runId}`,
    eventId: `run:${runId}:status:${status}`,
    occurredAt: new Date(),
  };
}

describe('NotificationWriter (real Postgres)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let statements = 0;
  let writer: NotificationWriter;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(serviceDataSourceOptions(database.url, NOTIFIER_DATABASE, { poolSize: 2 })).initialize();
    const insert = insertNotifications(dataSource);
    const counted: InsertNotifications = (rows) => {
      statements += 1;
      return insert(rows);
    };
    writer = new NotificationWriter(counted, { maxBatchSize: 50, maxBatchesInFlight: 2 });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('stores each transition once, however its copies fall into batches, and tells exactly one caller it created it', async () => {
    const runIds = Array.from({ length: 100 }, () => randomUUID());
    const transitions = runIds.flatMap((runId) => [row(runId, RunStatus.Queued), row(runId, RunStatus.Running), row(runId, RunStatus.Partial)]);
    await writer.write(transitions[0]); // already stored before the burst
    statements = 0;

    // Every transition twice in the same burst (a redelivery beside its original), plus the stored one again.
    const created = await Promise.all([...transitions, ...transitions].map((transition) => writer.write(transition)));

    expect(statements).toBeLessThanOrEqual(Math.ceil(600 / 50) + 1);
    expect(created.filter(Boolean)).toHaveLength(299);
    const { rows } = await database.pool.query(
      `SELECT run_id, status, count(*)::int AS copies, max(error::text) AS error FROM notifier.notifications WHERE run_id = ANY($1::uuid[]) GROUP BY run_id, status`,
      [runIds],
    );
    expect(rows).toHaveLength(300);
    expect(rows.every((stored) => stored.copies === 1)).toBe(true);
    expect(rows.filter((stored) => stored.status === RunStatus.Partial).every((stored) => JSON.parse(stored.error).code === SafeErrorCode.GraphThrottled)).toBe(true);
  });

  it('fails only the row Postgres refuses, not the rows batched with it', async () => {
    const good = [row(randomUUID(), RunStatus.Queued), row(randomUUID(), RunStatus.Queued)];
    const refused = row(randomUUID(), RunStatus.Queued, 'a NUL \u0000 Postgres text cannot hold');

    const results = await Promise.allSettled([writer.write(good[0]), writer.write(refused), writer.write(good[1])]);

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const { rows } = await database.pool.query(`SELECT run_id FROM notifier.notifications WHERE run_id = ANY($1::uuid[])`, [
      [...good, refused].map((notification) => notification.runId),
    ]);
    expect(rows.map((stored) => stored.run_id).sort()).toEqual(good.map((notification) => notification.runId).sort());
  });
});

import { randomUUID } from 'node:crypto';
import { RunStatus, RunType } from '@policyvault/contracts';
import { NotificationWriter, type NewNotification } from './notification-writer.js';

function row(overrides: Partial<NewNotification> = {}): NewNotification {
  const runId = overrides.runId ?? randomUUID();
  const status = overrides.status ?? RunStatus.Queued;
  return {
    userId: randomUUID(),
    tenantId: randomUUID(),
    runId,
    runType: RunType.BackupSetCreate,
    status,
    title: 'Backup set capture is queued',
    body: 'Waiting for a worker.',
    error: null,
    link: `https://ui.test/runs/${runId}`,
    eventId: `run:${runId}:status:${status}`,
    occurredAt: new Date(),
    ...overrides,
  };
}

/** A table with the unique (run_id, status, user_id) index, behind statements that finish when `release()` is called. */
class FakeTable {
  readonly stored = new Set<string>();
  readonly statements: number[] = [];
  failWhenTitle?: string;
  private held: (() => void)[] = [];
  holdStatements = false;

  readonly insert = async (rows: NewNotification[]): Promise<Pick<NewNotification, 'runId' | 'status' | 'userId'>[]> => {
    this.statements.push(rows.length);
    if (this.holdStatements) await new Promise<void>((resolve) => this.held.push(resolve));
    if (this.failWhenTitle && rows.some((candidate) => candidate.title === this.failWhenTitle)) throw new Error('invalid byte sequence');
    const created = [];
    for (const candidate of rows) {
      const key = `${candidate.runId}/${candidate.status}/${candidate.userId}`;
      if (this.stored.has(key)) continue;
      this.stored.add(key);
      created.push({ runId: candidate.runId, status: candidate.status, userId: candidate.userId });
    }
    return created;
  };

  release(): void {
    for (const resolve of this.held.splice(0)) resolve();
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('NotificationWriter', () => {
  it('writes the rows of one tick in one statement, and says which call created each notification', async () => {
    const table = new FakeTable();
    const writer = new NotificationWriter(table.insert);
    const existing = row();
    table.stored.add(`${existing.runId}/${existing.status}/${existing.userId}`);
    const fresh = row();
    const redelivered = { ...fresh };

    const created = await Promise.all([writer.write(fresh), writer.write(existing), writer.write(redelivered), writer.write(row({ status: RunStatus.Running }))]);

    expect(table.statements).toEqual([4]);
    expect(created).toEqual([true, false, false, true]);
  });

  it('one notification per recipient of a transition (a drift report notifies each owner once)', async () => {
    const table = new FakeTable();
    const writer = new NotificationWriter(table.insert);
    const forInitiator = row({ status: RunStatus.Succeeded });
    const forOwner = { ...forInitiator, userId: randomUUID() };
    expect(await Promise.all([writer.write(forInitiator), writer.write(forOwner), writer.write({ ...forOwner })])).toEqual([true, true, false]);
  });

  it('settles a call only when its statement has finished (acknowledged after durable)', async () => {
    const table = new FakeTable();
    table.holdStatements = true;
    const writer = new NotificationWriter(table.insert);
    let settled = false;
    const write = writer.write(row()).then(() => (settled = true));

    await tick();
    await tick();
    expect(table.statements).toEqual([1]);
    expect(settled).toBe(false);
    table.release();
    await write;
    expect(settled).toBe(true);
  });

  it('bounds the batch size and the statements in flight; rows arriving meanwhile form the next batch', async () => {
    const table = new FakeTable();
    table.holdStatements = true;
    const writer = new NotificationWriter(table.insert, { maxBatchSize: 3, maxBatchesInFlight: 2 });
    const writes = Array.from({ length: 7 }, () => writer.write(row()));

    await tick();
    expect(table.statements).toEqual([3, 3]);
    writes.push(writer.write(row()), writer.write(row()));
    await tick();
    expect(table.statements).toEqual([3, 3]);

    table.release();
    await tick();
    expect(table.statements).toEqual([3, 3, 3]);
    table.release();
    expect(await Promise.all(writes)).toEqual(Array(9).fill(true));
    expect(table.statements).toEqual([3, 3, 3]);
  });

  it('fails only the row Postgres refuses: the rest of its batch is written row by row', async () => {
    const table = new FakeTable();
    table.failWhenTitle = 'bad\u0000title';
    const writer = new NotificationWriter(table.insert);
    const good = [row(), row()];

    const results = await Promise.allSettled([writer.write(good[0]), writer.write(row({ title: 'bad\u0000title' })), writer.write(good[1])]);

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(table.statements).toEqual([3, 1, 1, 1]);
    expect(table.stored).toEqual(new Set(good.map((notification) => `${notification.runId}/${notification.status}/${notification.userId}`)));
  });
});

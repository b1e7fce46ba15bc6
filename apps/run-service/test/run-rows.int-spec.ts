// The run row that every worker event locks, updates and recounts (an item batch: with its items), by hand-written statements (EntityRows): the same
// entity as TypeORM's find gives, value for value (dates, JSON, nulls, defaults), the same row as TypeORM's update
// writes, and the lock taken.
import { randomUUID } from 'node:crypto';
import { Entity, OneToMany, PrimaryColumn, UpdateDateColumn, DataSource, EntityNotFoundError, ManyToOne, type EntitySubscriberInterface } from 'typeorm';
import { RunItemStatus, RunStatus, RunType, SafeErrorCode } from '@policyvault/contracts';
import { EntityRows, serviceDataSourceOptions } from '@policyvault/platform';
import { createTestDatabase, type TestDatabase } from '@policyvault/testing';
import { jsonb } from '../src/database/query-helpers.js';
import { RUN_SERVICE_DATABASE } from '../src/database/run-service.schema.js';
import { recountRunItems } from '../src/database/run-service.sql.js';
import { RunItemEntity } from '../src/runs/run-item.entity.js';
import { RunEntity } from '../src/runs/run.entity.js';
import { RunRepository } from '../src/runs/run.repository.js';

const TENANT = '11111111-1111-4111-8111-111111111111';

describe('run rows read by hand-written statements (real Postgres)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let runs: RunRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(serviceDataSourceOptions(database.url, RUN_SERVICE_DATABASE, { poolSize: 4 })).initialize();
    runs = new RunRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  async function insertRun(overrides: Partial<RunEntity> = {}): Promise<RunEntity> {
    const id = randomUUID();
    await dataSource.getRepository(RunEntity).insert(
      jsonb<RunEntity>({
        id,
        tenantId: TENANT,
        tenantDirectoryId: 'contoso.onmicrosoft.com',
        type: RunType.BackupSetCreate,
        target: { name: 'Nightly', nested: { list: [1, 'two', null] } },
        scope: {},
        scopeHash: 'hash',
        dedupeKey: `key-${id}`,
        status: RunStatus.Queued,
        initiatorUserId: randomUUID(),
        initiatorEmail: 'owner@contoso.test',
        ...overrides,
      }),
    );
    return dataSource.getRepository(RunEntity).findOneByOrFail({ id });
  }

  it('locks and reloads a run as TypeORM finds it: every column, with nulls, dates and JSON', async () => {
    const queued = await insertRun();
    const ended = await insertRun({
      status: RunStatus.Partial,
      plannedItems: 3,
      expectedItems: 3,
      totalItems: 3,
      succeededItems: 1,
      failedItems: 1,
      skippedItems: 1,
      summary: { items: 3, byType: { deviceConfiguration: 2 } },
      error: { code: SafeErrorCode.GraphUnavailable, message: 'one item failed' },
      cancelRequested: true,
      startedAt: new Date('2026-12-01T10:00:00.123Z'),
      finishedAt: new Date('2026-12-01T10:05:00.456Z'),
      finishReportedAt: new Date('2026-12-01T10:04:59Z'),
    });
    for (const expected of [queued, ended]) {
      const locked = await dataSource.transaction((manager) => runs.lock(manager, TENANT, expected.id));
      const reloaded = await runs.reload(dataSource.manager, expected);
      for (const run of [locked, reloaded]) {
        expect(run).toBeInstanceOf(RunEntity);
        expect(run).toStrictEqual(expected);
        expect(Object.keys(run!)).toEqual(Object.keys(expected));
      }
    }
    expect(ended.startedAt).toBeInstanceOf(Date);
    expect(queued.summary).toBeNull();
  });

  it("finds no run of another tenant or that does not exist; reload of one throws TypeORM's not-found error", async () => {
    const run = await insertRun();
    await dataSource.transaction(async (manager) => {
      expect(await runs.lock(manager, randomUUID(), run.id)).toBeNull();
      expect(await runs.lock(manager, TENANT, randomUUID())).toBeNull();
    });
    await expect(runs.reload(dataSource.manager, { id: run.id, tenantId: randomUUID() })).rejects.toBeInstanceOf(EntityNotFoundError);
  });

  it('holds the row lock until the transaction ends (a second locker waits)', async () => {
    const run = await insertRun();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = dataSource.transaction(async (manager) => {
      await runs.lock(manager, TENANT, run.id);
      await held;
      await manager.query(`UPDATE run_service.runs SET status = 'running' WHERE id = $1`, [run.id]);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    let secondSaw: string | undefined;
    const second = dataSource.transaction(async (manager) => {
      secondSaw = (await runs.lock(manager, TENANT, run.id))?.status;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(secondSaw).toBeUndefined();
    release();
    await Promise.all([first, second]);
    expect(secondSaw).toBe(RunStatus.Running);
  });

  it("updates a run and answers it as TypeORM's update then findOneBy give it (JSON, dates, nulls)", async () => {
    const changes: Partial<RunEntity> = {
      status: RunStatus.Failed,
      startedAt: new Date('2026-12-02T08:00:00.007Z'),
      finishedAt: new Date('2026-12-02T08:01:02.345Z'),
      expectedItems: 4,
      summary: { items: 4, nested: { list: [1, 'two', null], empty: {} } },
      error: { code: SafeErrorCode.GraphUnavailable, message: 'Graph answered 503 "twice"' },
      plannedItems: null,
    };
    const byHand = await insertRun({ plannedItems: 2 });
    const byTypeOrm = await insertRun({ plannedItems: 2 });
    const updated = await dataSource.transaction((manager) => runs.update(manager, byHand, changes));
    await dataSource.getRepository(RunEntity).update({ id: byTypeOrm.id }, jsonb<RunEntity>(changes));
    const expected = await dataSource.getRepository(RunEntity).findOneByOrFail({ id: byTypeOrm.id });
    expect(updated).toBeInstanceOf(RunEntity);
    // The same row as TypeORM's update wrote into the other run, but for the columns the two runs were created with.
    const { id, dedupeKey, initiatorUserId, queuedAt } = byHand;
    expect(updated).toStrictEqual(Object.assign(Object.create(RunEntity.prototype) as RunEntity, expected, { id, dedupeKey, initiatorUserId, queuedAt }));
    expect(await dataSource.getRepository(RunEntity).findOneByOrFail({ id: byHand.id })).toStrictEqual(updated);
    // Only the changed columns moved.
    expect(updated.target).toStrictEqual(byHand.target);
    expect(updated.succeededItems).toBe(0);
  });

  it("updates no run of another tenant (TypeORM's not-found error) and refuses a raw SQL expression", async () => {
    const run = await insertRun();
    await expect(runs.update(dataSource.manager, { id: run.id, tenantId: randomUUID() }, { status: RunStatus.Running })).rejects.toBeInstanceOf(EntityNotFoundError);
    const raw = { finishReportedAt: (() => 'clock_timestamp()') as unknown as Date };
    await expect(runs.update(dataSource.manager, run, raw)).rejects.toThrow(/raw SQL expression/);
    expect((await dataSource.getRepository(RunEntity).findOneByOrFail({ id: run.id })).status).toBe(RunStatus.Queued);
  });

  /** An item report as the item batch writes it. */
  const report = (runId: string, itemKey: string, status: `${RunItemStatus}`, finishedAtMs: number): RunItemEntity => ({
    runId,
    itemKey,
    status: status as RunItemStatus,
    label: `label ${itemKey}`,
    outcome: null,
    error: status === 'failed' ? { code: SafeErrorCode.GraphForbidden, message: 'denied' } : null,
    result: status === 'succeeded' ? { versionId: randomUUID() } : null,
    finishedAt: new Date(finishedAtMs),
  });

  /** The run's items and counts as a full recount reads them. */
  async function storedItems(runId: string): Promise<{ counts: { total: number; succeeded: number; failed: number; skipped: number }; items: Record<string, string> }> {
    const rows = await dataSource.query<Array<{ item_key: string; status: string }>>(`SELECT item_key, status FROM run_service.run_items WHERE run_id = $1`, [runId]);
    const count = (status: string) => rows.filter((row) => row.status === status).length;
    return { counts: { total: rows.length, succeeded: count('succeeded'), failed: count('failed'), skipped: count('skipped') }, items: Object.fromEntries(rows.map((row) => [row.item_key, row.status])) };
  }

  it('writes item reports and recounts the run in one statement: a later report wins, the answer is the run as it is after', async () => {
    const run = await insertRun({ status: RunStatus.Running, plannedItems: 6 });
    const at = Date.parse('2026-12-04T10:00:00Z');
    await dataSource.transaction(async (manager) => runs.recordItems(manager, (await runs.lock(manager, TENANT, run.id))!, [report(run.id, 'a', 'succeeded', at), report(run.id, 'b', 'failed', at)]));
    const { counts, run: counted } = await dataSource.transaction(async (manager) =>
      runs.recordItems(manager, (await runs.lock(manager, TENANT, run.id))!, [
        report(run.id, 'b', 'succeeded', at + 1000), // retried: replaces the failure
        report(run.id, 'a', 'failed', at - 1000), // an older report of a: ignored
        report(run.id, 'c', 'skipped', at),
        report(run.id, 'd', 'failed', at),
        report(run.id, 'd', 'succeeded', at + 2000), // the latest of two in one batch
      ]),
    );
    expect(await storedItems(run.id)).toEqual({ counts: { total: 4, succeeded: 3, failed: 0, skipped: 1 }, items: { a: 'succeeded', b: 'succeeded', c: 'skipped', d: 'succeeded' } });
    expect(counts).toEqual({ total: 4, succeeded: 3, failed: 0, skipped: 1 });
    expect(counted).toBeInstanceOf(RunEntity);
    expect(counted).toStrictEqual(await dataSource.getRepository(RunEntity).findOneByOrFail({ id: run.id }));
    // The planned items stay the total while fewer have been reported.
    expect(counted).toMatchObject({ totalItems: 6, succeededItems: 3, failedItems: 0, skippedItems: 1 });
    const { error, result } = await dataSource.getRepository(RunItemEntity).findOneByOrFail({ runId: run.id, itemKey: 'b' });
    expect({ error, result: Object.keys(result ?? {}) }).toEqual({ error: null, result: ['versionId'] });
  });

  it('answers the counts a full recount gives after every batch of a random history (new, retried, stale and repeated reports)', async () => {
    const run = await insertRun({ status: RunStatus.Running });
    const statuses = ['succeeded', 'failed', 'skipped'] as const;
    // A fixed-seed generator: the same history on every run of the test.
    let seed = 17;
    const next = (bound: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor(seed / 65536) % bound; // the high bits: the low ones of this generator repeat quickly
    };
    const at = Date.parse('2026-12-04T10:00:00Z');
    for (let batch = 0; batch < 40; batch += 1) {
      const reports = Array.from({ length: 1 + next(8) }, () => report(run.id, `item-${next(12)}`, statuses[next(3)], at + next(50) * 1000));
      const { counts } = await dataSource.transaction(async (manager) => runs.recordItems(manager, (await runs.lock(manager, TENANT, run.id))!, reports));
      const stored = await storedItems(run.id);
      expect({ batch, counts }).toEqual({ batch, counts: stored.counts });
      expect(await recountRunItems(dataSource.manager, run.id)).toEqual(stored.counts);
    }
    expect((await storedItems(run.id)).counts.total).toBeGreaterThan(8);
  });

  it('counts the items another transaction wrote while this one waited for the run lock', async () => {
    const run = await insertRun({ status: RunStatus.Running });
    const at = Date.parse('2026-12-04T10:00:00Z');
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstLocked!: () => void;
    const locked = new Promise<void>((resolve) => (firstLocked = resolve));
    const first = dataSource.transaction(async (manager) => {
      const answer = await runs.recordItems(manager, (await runs.lock(manager, TENANT, run.id))!, [report(run.id, 'a', 'succeeded', at), report(run.id, 'b', 'failed', at)]);
      firstLocked();
      await firstHolds;
      return answer;
    });
    await locked;
    const second = dataSource.transaction(async (manager) => runs.recordItems(manager, (await runs.lock(manager, TENANT, run.id))!, [report(run.id, 'b', 'succeeded', at + 1000), report(run.id, 'c', 'skipped', at)]));
    // The second waits for the run's lock (Postgres shows it waiting) until the first commits.
    const waitingForLock = async () =>
      Number((await dataSource.query<Array<{ waiting: string }>>(`SELECT count(*) AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`))[0].waiting);
    for (let attempt = 0; attempt < 100 && (await waitingForLock()) === 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await waitingForLock()).toBe(1);
    releaseFirst();
    expect((await first).counts).toEqual({ total: 2, succeeded: 1, failed: 1, skipped: 0 });
    expect((await second).counts).toEqual({ total: 3, succeeded: 2, failed: 0, skipped: 1 });
    expect((await storedItems(run.id)).counts).toEqual({ total: 3, succeeded: 2, failed: 0, skipped: 1 });
  });

  it('refuses to update an entity TypeORM adds to on update (update date column)', async () => {
    @Entity({ name: 'rows_dated' })
    class Dated {
      @PrimaryColumn('uuid')
      id!: string;

      @UpdateDateColumn()
      updatedAt!: Date;
    }
    const dated = await new DataSource({ type: 'postgres', url: database.url, entities: [Dated] }).initialize();
    try {
      await expect(new EntityRows(dated, Dated).update(dated.manager, { id: randomUUID() }, { updatedAt: new Date() })).rejects.toThrow(/adds to the updates of Dated/);
    } finally {
      await dated.destroy();
    }
  });

  it('refuses an entity TypeORM would not hydrate from its own columns alone', async () => {
    @Entity({ name: 'rows_parent' })
    class Parent {
      @PrimaryColumn('uuid')
      id!: string;

      @OneToMany(() => Child, (child) => child.parent)
      children!: Child[];
    }
    @Entity({ name: 'rows_child' })
    class Child {
      @PrimaryColumn('uuid')
      id!: string;

      @ManyToOne(() => Parent, (parent) => parent.children)
      parent!: Parent;
    }
    const withRelations = await new DataSource({ type: 'postgres', url: database.url, entities: [Parent, Child] }).initialize();
    try {
      expect(() => new EntityRows(withRelations, Parent)).toThrow(/not hydrated from its own columns alone/);
    } finally {
      await withRelations.destroy();
    }
    const listener: EntitySubscriberInterface = { afterLoad: () => undefined };
    const listened = await new DataSource({ ...serviceDataSourceOptions(database.url, RUN_SERVICE_DATABASE, { poolSize: 1 }), subscribers: [] }).initialize();
    try {
      listened.subscribers.push(listener);
      expect(() => new EntityRows(listened, RunEntity)).toThrow(/not hydrated from its own columns alone/);
    } finally {
      await listened.destroy();
    }
  });
});

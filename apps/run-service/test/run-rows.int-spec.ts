// The run row that every worker event locks, updates and recounts, by hand-written statements (EntityRows): the same
// entity as TypeORM's find gives, value for value (dates, JSON, nulls, defaults), the same row as TypeORM's update
// writes, and the lock taken.
import { randomUUID } from 'node:crypto';
import { Entity, OneToMany, PrimaryColumn, UpdateDateColumn, DataSource, EntityNotFoundError, ManyToOne, type EntitySubscriberInterface } from 'typeorm';
import { RunStatus, RunType, SafeErrorCode } from '@policyvault/contracts';
import { EntityRows, serviceDataSourceOptions } from '@policyvault/platform';
import { createTestDatabase, type TestDatabase } from '@policyvault/testing';
import { jsonb } from '../src/database/query-helpers.js';
import { insertOutboxRows, upsertRunItems } from '../src/database/run-service.sql.js';
import { RUN_SERVICE_DATABASE } from '../src/database/run-service.schema.js';
import { RunEntity } from '../src/runs/run.entity.js';
import { RunItemEntity } from '../src/runs/run-item.entity.js';
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

  it('recounts the items into several runs in one statement and answers each with its counts and the run as it is after', async () => {
    const run = await insertRun({ status: RunStatus.Running, plannedItems: 5 });
    const other = await insertRun({ status: RunStatus.Running });
    const empty = await insertRun({ status: RunStatus.Running, plannedItems: 2 });
    for (const [runId, itemKey, status] of [[run.id, 'a', 'succeeded'], [run.id, 'b', 'failed'], [run.id, 'c', 'skipped'], [run.id, 'd', 'succeeded'], [other.id, 'a', 'failed']]) {
      await dataSource.query(`INSERT INTO run_service.run_items (run_id, item_key, status, finished_at) VALUES ($1, $2, $3, now())`, [runId, itemKey, status]);
    }
    const recounted = await dataSource.transaction(async (manager) => {
      await runs.lockMany(manager, [run, other, empty].map(({ id }) => ({ tenantId: TENANT, runId: id })));
      return runs.recount(manager, [run.id, other.id, empty.id]);
    });
    const byId = new Map(recounted.map((answer) => [answer.run.id, answer]));
    expect(recounted).toHaveLength(3);
    expect(byId.get(run.id)!.counts).toEqual({ total: 4, succeeded: 2, failed: 1, skipped: 1 });
    expect(byId.get(other.id)!.counts).toEqual({ total: 1, succeeded: 0, failed: 1, skipped: 0 });
    // A run without items counts zeros (and keeps its planned items as its total).
    expect(byId.get(empty.id)!.counts).toEqual({ total: 0, succeeded: 0, failed: 0, skipped: 0 });
    for (const { run: counted } of recounted) {
      expect(counted).toBeInstanceOf(RunEntity);
      expect(counted).toStrictEqual(await dataSource.getRepository(RunEntity).findOneByOrFail({ id: counted.id }));
    }
    // The planned items stay the total while fewer have been reported.
    expect(byId.get(run.id)!.run).toMatchObject({ totalItems: 5, succeededItems: 2, failedItems: 1, skippedItems: 1 });
    expect(byId.get(empty.id)!.run).toMatchObject({ totalItems: 2, succeededItems: 0 });
    expect(await runs.recount(dataSource.manager, [])).toEqual([]);
  });

  it('moves several runs to running in one statement, each with its own start, planned and total items, answered as findOneBy gives them', async () => {
    const queued = await insertRun();
    const running = await insertRun({ status: RunStatus.Running, startedAt: new Date('2026-12-02T08:00:00.500Z'), plannedItems: 2, totalItems: 2 });
    const untouched = await insertRun();
    const changed = await dataSource.transaction((manager) =>
      runs.markRunning(manager, [
        { id: queued.id, startedAt: new Date('2026-12-02T09:00:00.123Z'), plannedItems: null, totalItems: 0 },
        { id: running.id, startedAt: new Date('2026-12-02T07:59:59.999Z'), plannedItems: 5, totalItems: 5 },
      ]),
    );
    expect(changed).toHaveLength(2);
    for (const run of changed) {
      expect(run).toBeInstanceOf(RunEntity);
      expect(run).toStrictEqual(await dataSource.getRepository(RunEntity).findOneByOrFail({ id: run.id }));
    }
    const byId = new Map(changed.map((run) => [run.id, run]));
    expect(byId.get(queued.id)).toMatchObject({ status: RunStatus.Running, startedAt: new Date('2026-12-02T09:00:00.123Z'), plannedItems: null, totalItems: 0 });
    expect(byId.get(running.id)).toMatchObject({ status: RunStatus.Running, startedAt: new Date('2026-12-02T07:59:59.999Z'), plannedItems: 5, totalItems: 5 });
    expect((await dataSource.getRepository(RunEntity).findOneByOrFail({ id: untouched.id })).status).toBe(RunStatus.Queued);
    expect(await runs.markRunning(dataSource.manager, [])).toEqual([]);
  });

  it('locks several runs in one statement, in id order, and finds only those in the given tenants', async () => {
    const inserted = await Promise.all([insertRun(), insertRun(), insertRun()]);
    const [a, b, c] = inserted;
    const locked = await dataSource.transaction((manager) =>
      runs.lockMany(manager, [
        { tenantId: TENANT, runId: c.id },
        { tenantId: TENANT, runId: a.id },
        { tenantId: randomUUID(), runId: b.id },
        { tenantId: TENANT, runId: randomUUID() },
      ]),
    );
    expect(locked.map(({ id }) => id)).toEqual([a.id, c.id].sort());
    for (const run of locked) expect(run).toStrictEqual(inserted.find(({ id }) => id === run.id));
    // Held until the transaction ends: a second locker of one of them waits.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = dataSource.transaction(async (manager) => {
      await runs.lockMany(manager, [a, c].map(({ id }) => ({ tenantId: TENANT, runId: id })));
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    let secondLocked = false;
    const second = dataSource.transaction(async (manager) => {
      await runs.lock(manager, TENANT, c.id);
      secondLocked = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(secondLocked).toBe(false);
    release();
    await Promise.all([first, second]);
    expect(secondLocked).toBe(true);
  });

  it('writes outbox rows in one statement in the given order, and keeps a row already written under its message id', async () => {
    const tag = randomUUID();
    const row = (name: string, payload: Record<string, unknown>) => ({ subject: `t.${name}`, messageId: `${tag}:${name}`, payload, traceContext: name === 'b' ? { traceparent: 'x' } : null });
    const [first] = await insertOutboxRows(dataSource.manager, [row('a', { n: 1, text: 'quote " and \\ backslash', nested: { list: [1, null] } })]);
    const answered = await insertOutboxRows(dataSource.manager, [row('b', { n: 2 }), row('a', { n: 99 }), row('c', { n: 3 })]);
    expect(answered.map((answer) => answer?.messageId)).toEqual([`${tag}:b`, undefined, `${tag}:c`]);
    expect(answered[0]).toEqual({ ...row('b', { n: 2 }), id: expect.any(String) });
    const stored = (await dataSource.query(`SELECT id::text, message_id, payload, trace_context FROM run_service.outbox WHERE message_id LIKE $1 ORDER BY id`, [`${tag}:%`])) as {
      id: string;
      message_id: string;
      payload: Record<string, unknown>;
      trace_context: Record<string, string> | null;
    }[];
    // In the given order, the first "a" kept as it was written.
    expect(stored.map(({ message_id }) => message_id)).toEqual([`${tag}:a`, `${tag}:b`, `${tag}:c`]);
    expect(stored.map(({ id }) => id)).toEqual([first!.id, answered[0]!.id, answered[2]!.id]);
    expect(stored[0].payload).toEqual({ n: 1, text: 'quote " and \\ backslash', nested: { list: [1, null] } });
    expect(stored[1].trace_context).toEqual({ traceparent: 'x' });
    expect(await insertOutboxRows(dataSource.manager, [])).toEqual([]);
  });

  it('upserts the items of several runs in one statement: per run and item, the latest report wins', async () => {
    const [one, two] = await Promise.all([insertRun({ status: RunStatus.Running }), insertRun({ status: RunStatus.Running })]);
    const item = (run: RunEntity, itemKey: string, status: string, at: string): RunItemEntity =>
      Object.assign(new RunItemEntity(), { runId: run.id, itemKey, status, label: null, outcome: null, error: null, result: null, finishedAt: new Date(at) });
    await upsertRunItems(dataSource.manager, [
      item(one, 'same-key', 'failed', '2026-12-02T10:00:00Z'),
      item(two, 'same-key', 'succeeded', '2026-12-02T10:00:00Z'),
      item(one, 'same-key', 'succeeded', '2026-12-02T10:00:01Z'),
      item(two, 'same-key', 'failed', '2026-12-02T09:59:59Z'),
    ]);
    const rows = (await dataSource.query(`SELECT run_id::text, status FROM run_service.run_items WHERE run_id = ANY($1::uuid[]) ORDER BY run_id`, [[one.id, two.id]])) as { run_id: string; status: string }[];
    expect(rows).toEqual([{ run_id: one.id, status: 'succeeded' }, { run_id: two.id, status: 'succeeded' }].sort((x, y) => x.run_id.localeCompare(y.run_id)));
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

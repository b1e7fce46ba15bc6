// The run row that every worker event locks and reloads, read by a hand-written statement (EntityRows): the same
// entity as TypeORM's find gives, value for value (dates, JSON, nulls, defaults), and the lock taken.
import { randomUUID } from 'node:crypto';
import { Entity, OneToMany, PrimaryColumn, DataSource, EntityNotFoundError, ManyToOne, type EntitySubscriberInterface } from 'typeorm';
import { RunStatus, RunType, SafeErrorCode } from '@policyvault/contracts';
import { EntityRows, serviceDataSourceOptions } from '@policyvault/platform';
import { createTestDatabase, type TestDatabase } from '@policyvault/testing';
import { jsonb } from '../src/database/query-helpers.js';
import { RUN_SERVICE_DATABASE } from '../src/database/run-service.schema.js';
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

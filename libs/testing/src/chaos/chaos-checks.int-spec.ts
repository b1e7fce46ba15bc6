import { CHAOS_SERVICES, type ChaosService } from './chaos-cluster.js';
import { poisonRecorded } from './chaos-checks.js';
import { SERVICE_SCHEMAS, type FaultFigures } from './chaos-faults.js';
import { createTestDatabase, type TestDatabase } from '../test-database.js';

/** The poison check against a real migrated database: rows as the services record them, advisories as JetStream names them. */
describe('chaos check: no poison message unrecorded', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  beforeEach(async () => {
    for (const service of CHAOS_SERVICES) await database.pool.query(`DELETE FROM ${SERVICE_SCHEMAS[service]}.rejected_messages`);
  });

  function figures(poisons: { marker: string; consumers: ChaosService[] }[], advisories: Partial<Record<ChaosService, string[]>>): FaultFigures {
    return {
      kills: [],
      restartsFailed: [],
      deletions: new Map(),
      poisons: poisons.map((poison) => ({ ...poison, kind: 'shape', subject: 'chaos.poison' })),
      droppedByService: new Map(CHAOS_SERVICES.map((service) => [service, new Set(advisories[service] ?? [])])),
    };
  }

  async function record(service: ChaosService, stream: string, sequence: number, payload: string): Promise<void> {
    await database.pool.query(
      `INSERT INTO ${SERVICE_SCHEMAS[service]}.rejected_messages (subject, payload, reason, delivery_count, stream, stream_sequence)
       VALUES ('chaos.poison', convert_to($1, 'UTF8'), 'invalid event', 1, $2, $3)`,
      [payload, stream, sequence],
    );
  }

  it('passes when every poison is recorded once and every dropped message has its row', async () => {
    await record('notifier', 'RUN_STATUS', 7, '{"chaosPoison":"poison-a"}');
    await record('capture-worker', 'COMMANDS', 3, 'not json poison-b');
    const check = await poisonRecorded(
      database.pool,
      figures(
        [
          { marker: 'poison-a', consumers: ['notifier'] },
          { marker: 'poison-b', consumers: ['capture-worker'] },
        ],
        // The notifier's two consumers of one stream drop the same message: one row.
        { notifier: ['RUN_STATUS/notifier/7', 'RUN_STATUS/notifier-schedule-alerts/7'], 'capture-worker': ['COMMANDS/capture-worker/3'] },
      ),
    );
    expect(check.pass).toBe(true);
    expect(check.figures).toContain('2/2 poison deliveries recorded exactly once');
    expect(check.figures).toContain('poisons whose advisory was not seen: 0');
  });

  it('passes, and counts it, when a recorded poison\'s advisory was lost (core NATS, at most once)', async () => {
    await record('restore-worker', 'COMMANDS', 11, '{"chaosPoison":"poison-c"}');
    await record('restore-worker', 'COMMANDS', 12, '{"chaosPoison":"poison-d"}');
    const check = await poisonRecorded(
      database.pool,
      figures(
        [
          { marker: 'poison-c', consumers: ['restore-worker'] },
          { marker: 'poison-d', consumers: ['restore-worker'] },
        ],
        { 'restore-worker': ['COMMANDS/restore-worker/11'] },
      ),
    );
    expect(check.pass).toBe(true);
    expect(check.figures).toContain('restore-worker 2/1');
    expect(check.figures).toContain('poisons whose advisory was not seen: 1');
  });

  it('fails when JetStream dropped a message that no row records', async () => {
    await record('gateway', 'TENANT_EVENTS', 5, '{"chaosPoison":"poison-e"}');
    const check = await poisonRecorded(
      database.pool,
      figures([{ marker: 'poison-e', consumers: ['gateway'] }], { gateway: ['TENANT_EVENTS/gateway/5', 'TENANT_EVENTS/gateway/6'] }),
    );
    expect(check.pass).toBe(false);
    expect(check.figures).toContain('dropped but not recorded: 1 e.g. gateway TENANT_EVENTS/6');
  });

  it('fails on a row that is neither a poison nor a dropped message', async () => {
    await record('run-service', 'WORKER_EVENTS', 9, '{"runId":"a valid event recorded by mistake"}');
    const check = await poisonRecorded(database.pool, figures([], {}));
    expect(check.pass).toBe(false);
    expect(check.figures).toContain('recorded, neither a poison nor dropped: 1 e.g. run-service WORKER_EVENTS/9');
  });

  it('fails on a poison recorded twice', async () => {
    await record('notifier', 'RUN_STATUS', 20, '{"chaosPoison":"poison-f"}');
    await record('notifier', 'RUN_STATUS', 21, '{"chaosPoison":"poison-f"}');
    const check = await poisonRecorded(
      database.pool,
      figures([{ marker: 'poison-f', consumers: ['notifier'] }], { notifier: ['RUN_STATUS/notifier/20', 'RUN_STATUS/notifier/21'] }),
    );
    expect(check.pass).toBe(false);
    expect(check.figures).toContain('poison-f recorded 2× by notifier');
  });
});

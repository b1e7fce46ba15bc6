// The services on a three-node JetStream cluster with every stream replicated three times
// (NATS_STREAM_REPLICAS=3, NATS_URL listing the three servers): under a load of runs started through the
// gateway, the leader of the command stream is killed (and later started again). Nothing accepted is
// lost or doubled: every run ends with counts equal to its items, each backup set is written once, and
// each (run, status) has one notification.
import { RunType, TERMINAL_RUN_STATUSES, type RunView } from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import {
  CONTOSO,
  FABRIKAM,
  gatewayRuns,
  graphEmulatorEnv,
  startPrivateNats,
  startStack,
  waitFor,
  type GatewayRuns,
  type PrivateNats,
  type PrivateNatsServer,
  type Stack,
} from '@policyvault/testing';

const BACKUP_SETS_PER_TENANT = 55;
const SYNCS_PER_TENANT = 5;

interface Accepted {
  tenantId: string;
  runId: string;
  type: string;
}

describe('the services on a three-node JetStream cluster, the command stream leader killed under load', () => {
  let emulator: RunningGraphEmulator;
  let nats: PrivateNats;
  let stack: Stack;
  const clients = new Map<string, GatewayRuns>();

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, demoSeed: { policiesPerType: 1 } });
    nats = await startPrivateNats(3);
    stack = await startStack({
      services: ['run-service', 'capture-worker', 'notifier', 'gateway'],
      nats: { url: nats.url, replicas: 3 },
      env: graphEmulatorEnv(emulator.url),
    });
    clients.set(CONTOSO.id, gatewayRuns(stack.gatewayUrl, await stack.token('owner@contoso.test')));
    clients.set(FABRIKAM.id, gatewayRuns(stack.gatewayUrl, await stack.token('owner@fabrikam.test')));
  }, 120_000);

  afterAll(async () => {
    await stack?.close().catch(() => undefined);
    await nats?.destroy();
    await emulator?.close();
  });

  /** A start as a client honouring 503 sends it: again until it is accepted (a reused run counts once). */
  const start = async (tenantId: string, body: { type: string; target: object; scope: object }): Promise<Accepted> => {
    const runs = clients.get(tenantId)!;
    const started = await waitFor(
      () => runs.start(tenantId, body),
      (reply) => reply.httpStatus === 202 || reply.httpStatus === 200,
      { timeoutMs: 60_000, intervalMs: 500, what: `${body.type} to be accepted` },
    );
    return { tenantId, runId: started.reply.run.id, type: body.type };
  };

  it('loses and doubles nothing when the stream leader dies mid-load', async () => {
    const names = stack.nats.names;
    const info = await stack.nats.jsm.streams.info(names.commandStream);
    expect(info.config.num_replicas).toBe(3);
    expect((await stack.nats.jsm.streams.info(names.workerEventStream)).config.num_replicas).toBe(3);

    const bodies: { tenantId: string; body: { type: string; target: object; scope: object } }[] = [];
    for (let index = 0; index < BACKUP_SETS_PER_TENANT; index += 1) {
      for (const tenant of [CONTOSO, FABRIKAM]) {
        bodies.push({
          tenantId: tenant.id,
          body: { type: RunType.BackupSetCreate, target: { name: `load ${index}` }, scope: { policyTypes: ['deviceConfiguration', 'compliancePolicy'] } },
        });
        if (index % Math.floor(BACKUP_SETS_PER_TENANT / SYNCS_PER_TENANT) === 0) {
          bodies.push({ tenantId: tenant.id, body: { type: RunType.InventorySync, target: {}, scope: {} } });
        }
      }
    }

    const accepted: Accepted[] = [];
    let killed: PrivateNatsServer | undefined;
    for (let offset = 0; offset < bodies.length; offset += 10) {
      accepted.push(...(await Promise.all(bodies.slice(offset, offset + 10).map(({ tenantId, body }) => start(tenantId, body)))));
      if (!killed && accepted.length >= bodies.length / 3) {
        killed = await nats.streamLeader(names.commandStream);
        expect(killed).toBeDefined();
        await killed!.kill();
        // NATS_URL still lists the dead server: a service starting now connects to one that is up.
        const replica = await stack.start('notifier');
        expect(replica.process.exitCode).toBeNull();
      } else if (killed && !killed.running() && accepted.length >= (bodies.length * 2) / 3) {
        await killed.start();
      }
    }
    expect(killed?.running()).toBe(true);
    // The restarted server catches up; the stream answers through whichever leader it has now.
    await waitFor(() => nats.streamLeader(names.commandStream), (leader) => leader !== undefined, {
      timeoutMs: 30_000,
      intervalMs: 500,
      what: 'the command stream to have a leader',
    });

    const runIds = [...new Set(accepted.map((run) => run.runId))];
    expect(runIds.length).toBeGreaterThanOrEqual(2 * BACKUP_SETS_PER_TENANT);
    const ended: RunView[] = [];
    for (const { tenantId, runId } of accepted.filter((run, index) => accepted.findIndex((other) => other.runId === run.runId) === index)) {
      ended.push(await clients.get(tenantId)!.waitUntilTerminal(tenantId, runId, { timeoutMs: 180_000 }));
    }
    for (const run of ended) {
      expect(TERMINAL_RUN_STATUSES).toContain(run.status);
      expect(run.status).toBe('succeeded');
      const items = await clients.get(run.tenantId)!.items(run.tenantId, run.id);
      expect(run.counts.total).toBe(items.length);
      expect(run.counts.succeeded + run.counts.failed + run.counts.skipped).toBe(items.length);
      expect(new Set(items.map((item) => item.itemKey)).size).toBe(items.length);
    }

    const pool = stack.database.pool;
    // Every run the system holds (also one whose accepting answer was lost) has ended.
    const open = await pool.query(`SELECT id, status FROM run_service.runs WHERE status NOT IN ('succeeded', 'partial', 'failed', 'canceled')`);
    expect(open.rows).toEqual([]);
    // Each backup set run wrote one set, holding exactly the run's succeeded items.
    const sets = await pool.query<{ created_by_run_id: string; sets: string; items: string }>(
      `SELECT s.created_by_run_id, count(DISTINCT s.id) AS sets, count(i.*) AS items
         FROM capture.backup_sets s LEFT JOIN capture.backup_items i ON i.backup_set_id = s.id
        GROUP BY s.created_by_run_id`,
    );
    const backupRuns = ended.filter((run) => run.type === RunType.BackupSetCreate);
    expect(sets.rows).toHaveLength(backupRuns.length);
    for (const run of backupRuns) {
      const row = sets.rows.find((candidate) => candidate.created_by_run_id === run.id);
      expect({ run: run.id, sets: Number(row?.sets), items: Number(row?.items) }).toEqual({ run: run.id, sets: 1, items: run.counts.succeeded });
    }
    // One notification per (run, status) — and the final one of every run arrived.
    const doubled = await pool.query(`SELECT run_id, status, count(*) FROM notifier.notifications GROUP BY run_id, status HAVING count(*) > 1`);
    expect(doubled.rows).toEqual([]);
    const finals = await waitFor(
      async () => (await pool.query<{ run_id: string }>(`SELECT run_id FROM notifier.notifications WHERE status = 'succeeded'`)).rows.map((row) => row.run_id),
      (rows) => rows.length >= ended.length,
      { timeoutMs: 60_000, what: 'a notification of every ended run' },
    );
    expect(new Set(finals)).toEqual(new Set(ended.map((run) => run.id)));
  }, 300_000);
});

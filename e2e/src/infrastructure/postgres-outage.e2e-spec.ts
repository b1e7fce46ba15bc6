// The gateway during a Postgres outage (a private Postgres, stopped like a crash): every API request
// answers 503 with Retry-After and a message, or succeeds (what a cache still knows) — never 500 — whether
// the gateway's own queries fail or a service behind it cannot reach its tables. Once Postgres is back,
// every service is ready again without a restart, the runs started before the outage end, and new work runs.
import { RunType, TERMINAL_RUN_STATUSES, type RunView } from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import {
  CONTOSO,
  FABRIKAM,
  createPrivateTestDatabase,
  gatewayRuns,
  graphEmulatorEnv,
  startPrivatePostgres,
  startStack,
  waitFor,
  type GatewayRuns,
  type PrivatePostgres,
  type Stack,
  type TestDatabase,
} from '@policyvault/testing';

interface Answer {
  request: string;
  status: number;
  retryAfter: string | null;
  message: unknown;
}

describe('the gateway during a Postgres outage', () => {
  let emulator: RunningGraphEmulator;
  let postgres: PrivatePostgres;
  let database: TestDatabase;
  let stack: Stack;
  let runs: GatewayRuns;
  let token: string;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, demoSeed: { policiesPerType: 4 } });
    postgres = await startPrivatePostgres('outage-postgres');
    database = await createPrivateTestDatabase(postgres);
    stack = await startStack({
      services: ['run-service', 'capture-worker', 'restore-worker', 'notifier', 'gateway'],
      database,
      // The gateway's membership and user caches outlive the outage's first rounds, so its requests reach the
      // services behind it (their own outage answers) whatever the load; with the default 2 s they might all
      // stop at the gateway's own tables.
      env: { ...graphEmulatorEnv(emulator.url), OUTBOX_POLL_INTERVAL_MS: '200', MEMBERSHIP_CACHE_TTL_MS: '60000' },
    });
    token = await stack.token('owner@contoso.test');
    runs = gatewayRuns(stack.gatewayUrl, token);
  }, 180_000);

  afterAll(async () => {
    await stack?.close().catch(() => undefined);
    await postgres?.destroy();
    await emulator?.close();
  });

  /** One request as an operator's browser sends it; the answer's status, Retry-After and message. */
  const ask = async (method: 'GET' | 'POST', path: string, body?: object): Promise<Answer> => {
    const response = await fetch(`${stack.gatewayUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    let message: unknown;
    try {
      message = (JSON.parse(text) as { message?: unknown }).message;
    } catch {
      message = undefined;
    }
    return { request: `${method} ${path}`, status: response.status, retryAfter: response.headers.get('retry-after'), message };
  };

  /** A round of the API an operator uses: the gateway's own tables, and each service behind it. */
  const round = (runId: string, name: string): Promise<Answer[]> =>
    Promise.all([
      ask('GET', '/api/me'),
      ask('GET', '/api/tenants'),
      ask('GET', `/api/tenants/${CONTOSO.id}`),
      ask('GET', `/api/tenants/${CONTOSO.id}/members`),
      ask('GET', `/api/tenants/${CONTOSO.id}/runs`),
      ask('GET', `/api/tenants/${CONTOSO.id}/runs/${runId}`),
      ask('GET', `/api/tenants/${CONTOSO.id}/runs/${runId}/items`),
      ask('GET', `/api/tenants/${CONTOSO.id}/backup-sets`),
      ask('GET', `/api/tenants/${CONTOSO.id}/policies`),
      ask('GET', `/api/tenants/${CONTOSO.id}/drift-reports`),
      ask('GET', `/api/tenants/${CONTOSO.id}/backup-schedules`),
      ask('GET', '/api/notifications'),
      ask('GET', '/api/fleet'),
      ask('POST', `/api/tenants/${CONTOSO.id}/runs`, { type: RunType.BackupSetCreate, target: { name }, scope: {} }),
    ]);

  it('answers 503 with Retry-After (never 500) while Postgres is down; afterwards the earlier runs end and new ones run', async () => {
    // Work in flight when Postgres stops: backup sets and inventory syncs in both tenants, Graph slowed down.
    for (const tenant of [CONTOSO, FABRIKAM]) emulator.admin.setFaults(tenant.directoryId, { latencyMs: { min: 40, max: 40 } });
    const before: { tenantId: string; runId: string }[] = [];
    for (const tenant of [CONTOSO, FABRIKAM]) {
      const tenantRuns = gatewayRuns(stack.gatewayUrl, await stack.token(tenant === CONTOSO ? 'owner@contoso.test' : 'owner@fabrikam.test'));
      const sync = await tenantRuns.start(tenant.id, { type: RunType.InventorySync, target: {}, scope: {} });
      before.push({ tenantId: tenant.id, runId: sync.reply.run.id });
      for (let index = 0; index < 3; index += 1) {
        const set = await tenantRuns.start(tenant.id, { type: RunType.BackupSetCreate, target: { name: `before the outage ${index}` }, scope: {} });
        before.push({ tenantId: tenant.id, runId: set.reply.run.id });
      }
    }
    const healthy = await round(before[0]!.runId, 'while healthy');
    expect(healthy.filter((answer) => answer.status >= 400)).toEqual([]);

    await postgres.stopImmediate();
    await waitFor(
      async () => (await fetch(`${stack.gatewayUrl}/health/ready`)).status,
      (status) => status === 503,
      { what: 'the gateway to report not ready' },
    );
    const during: Answer[] = [];
    for (let index = 0; index < 4; index += 1) during.push(...(await round(before[0]!.runId, `during the outage ${index}`)));

    const wrong = during.filter((answer) => !(answer.status < 300 || (answer.status === 503 && answer.retryAfter !== null && typeof answer.message === 'string')));
    expect(wrong).toEqual([]);
    // The outage was seen, through the gateway's own tables and through the services behind it.
    const unavailable = during.filter((answer) => answer.status === 503);
    expect(unavailable.map((answer) => answer.message)).toEqual(expect.arrayContaining(['the database is not available; try again shortly']));
    expect(unavailable.some((answer) => /^run-service .*try again/.test(String(answer.message)))).toBe(true);
    expect(unavailable.some((answer) => answer.request.startsWith('POST'))).toBe(true);

    await postgres.start();
    await waitFor(
      () => Promise.all(stack.services.map(async (service) => (await fetch(`${service.url}/health/ready`)).status)),
      (statuses) => statuses.every((status) => status === 200),
      { timeoutMs: 30_000, what: 'every service to be ready again' },
    );
    expect(stack.services.every((service) => service.process.exitCode === null)).toBe(true);

    const ended: RunView[] = [];
    for (const { tenantId, runId } of before) {
      const tenantRuns = gatewayRuns(stack.gatewayUrl, await stack.token(tenantId === CONTOSO.id ? 'owner@contoso.test' : 'owner@fabrikam.test'));
      ended.push(await tenantRuns.waitUntilTerminal(tenantId, runId, { timeoutMs: 120_000 }));
    }
    for (const run of ended) {
      expect(TERMINAL_RUN_STATUSES).toContain(run.status);
      expect(run.counts.succeeded + run.counts.failed + run.counts.skipped).toBe(run.counts.total);
    }

    const after = await round(before[0]!.runId, 'after the outage');
    expect(after.filter((answer) => answer.status >= 400)).toEqual([]);
    const started = after.at(-1)!;
    for (const tenant of [CONTOSO, FABRIKAM]) emulator.admin.setFaults(tenant.directoryId, undefined);
    const newRun = await runs.waitUntilTerminal(CONTOSO.id, (await runs.start(CONTOSO.id, { type: RunType.InventorySync, target: {}, scope: {} })).reply.run.id, {
      timeoutMs: 60_000,
    });
    expect(newRun.status).toBe('succeeded');
    expect(started.status).toBeLessThan(300);
  });
});

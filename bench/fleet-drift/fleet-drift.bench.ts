// Fleet drift check (issue 12). `npm run bench:fleet-drift` (builds first).
//
// 200 emulator tenants with 50 policies each (eight policy types), registered in the gateway's
// directory. Each gets a baseline backup set made by the real capture-worker (one fleet start of
// backup_set.create; not measured). Then, as the MSP admin, one fleet start of drift.check for all of
// them through POST /api/fleet/runs, followed at GET /api/fleet/batches/:id until done. Measured: wall
// time (POST → batch done), runs per status, Graph requests (emulator journal, batch items counted one
// by one as Graph's throttling counts them) and their 429 share, against two bounds: the Graph budget
// (each tenant has its own 1,000 requests per 20 s, so the largest per-tenant need) and the
// restore-worker's concurrency (runs it works on at once).
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { DEMO_GRAPH_APP, RunType } from '@policyvault/contracts';
import { startGraphEmulator, type JournalEntry } from '@policyvault/graph-emulator';
import { signDevelopmentToken } from '@policyvault/platform';
import { startService, type ServiceProcess } from '@policyvault/testing';
import { NATS_URL, createBenchDatabase, deleteStreams, dropBenchDatabase, peakMemoryMiB, percentile, workerNodeArguments } from '../support/bench-environment.js';

const TENANTS = Number(process.env.BENCH_TENANTS ?? 200);
/** 50 policies per tenant. */
const POLICY_COUNTS = {
  deviceConfiguration: 10,
  settingsCatalogPolicy: 10,
  compliancePolicy: 8,
  administrativeTemplate: 6,
  endpointSecurityIntent: 4,
  windowsPlatformScript: 4,
  remediationScript: 4,
  appProtectionPolicy: 4,
};
const LIMITS = { requestsPerWindow: 1000, writesPerWindow: 100, windowSeconds: 20 };
const SIGNING_KEY = 'fleet-drift-benchmark-signing-key-0123456789';
const ADMIN_EMAIL = 'admin@msp.test';
const stamp = Date.now().toString(36);
const database = `pv_bench_fleet_drift_${stamp}`;
const namespace = `pvbench_fleetdrift_${stamp}`;

interface Tenant {
  id: string;
  directoryId: string;
}

interface BatchView {
  done: boolean;
  counts: Record<string, number>;
}

async function registerTenants(url: string, tenants: Tenant[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO gateway.tenants (id, display_name, directory_id)
       SELECT id, 'Drift customer ' || lpad(n::text, 4, '0'), directory_id FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS t(id, directory_id, n)`,
      [tenants.map((tenant) => tenant.id), tenants.map((tenant) => tenant.directoryId)],
    );
  } finally {
    await client.end();
  }
}

/** One fleet start through the gateway, followed until every run is terminal; returns the batch and the wall time. */
async function fleetRun(gateway: string, token: string, tenants: Tenant[], type: RunType, target: object): Promise<{ batchId: string; batch: BatchView; wallMs: number }> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const started = performance.now();
  const response = await fetch(`${gateway}/api/fleet/runs`, { method: 'POST', headers, body: JSON.stringify({ type, target, tenantIds: tenants.map((tenant) => tenant.id) }) });
  const created = (await response.json()) as { id: string; counts: Record<string, number> };
  if (response.status !== 201) throw new Error(`POST /api/fleet/runs answered ${response.status}: ${JSON.stringify(created).slice(0, 300)}`);
  if (created.counts.started !== tenants.length) throw new Error(`${type}: ${JSON.stringify(created.counts)} of ${tenants.length} tenants`);
  for (;;) {
    const polled = await fetch(`${gateway}/api/fleet/batches/${created.id}?limit=1`, { headers });
    const batch = (await polled.json()) as BatchView;
    if (polled.status !== 200) throw new Error(`GET /api/fleet/batches answered ${polled.status}: ${JSON.stringify(batch).slice(0, 300)}`);
    if (batch.done) return { batchId: created.id, batch, wallMs: performance.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Requests Graph's throttling counts: single calls and batch items (not the `$batch` envelope), no token requests. */
const budgeted = (entry: JournalEntry) => entry.kind !== 'token' && !(entry.kind === 'graph' && entry.path.endsWith('/$batch'));

interface RunTiming {
  tenant_id: string;
  status: string;
  queued: number;
  started: number;
  finished: number;
}

async function runTimings(url: string): Promise<RunTiming[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<RunTiming>(
      `SELECT tenant_id, status, extract(epoch FROM queued_at) * 1000 AS queued, extract(epoch FROM started_at) * 1000 AS started,
              extract(epoch FROM finished_at) * 1000 AS finished
       FROM run_service.runs WHERE type = $1`,
      [RunType.DriftCheck],
    );
    return rows.map((row) => ({ ...row, queued: Number(row.queued), started: Number(row.started), finished: Number(row.finished) }));
  } finally {
    await client.end();
  }
}

/** The most runs running at one moment (from their started/finished times). */
function peakConcurrency(runs: RunTiming[]): number {
  const edges = runs.flatMap((run) => [
    { at: run.started, delta: 1 },
    { at: run.finished, delta: -1 },
  ]);
  edges.sort((left, right) => left.at - right.at || left.delta - right.delta);
  let running = 0;
  let peak = 0;
  for (const edge of edges) peak = Math.max(peak, (running += edge.delta));
  return peak;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const tenants: Tenant[] = Array.from({ length: TENANTS }, () => ({ id: randomUUID(), directoryId: randomUUID() }));
  const emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false, throttle: LIMITS });
  for (const tenant of tenants) emulator.admin.resetTenant(tenant.directoryId, { seed: { policiesPerType: 0, counts: POLICY_COUNTS } });
  const url = await createBenchDatabase(database);
  await registerTenants(url, tenants);
  const env = {
    DATABASE_URL: url,
    NATS_URL,
    NATS_NAMESPACE: namespace,
    LOG_LEVEL: 'warn',
    OUTBOX_POLL_INTERVAL_MS: '200',
    GRAPH_BASE_URL: emulator.url,
    GRAPH_AUTHORITY_HOST: emulator.url,
    GRAPH_CLIENT_ID: DEMO_GRAPH_APP.clientId,
    GRAPH_CLIENT_SECRET: DEMO_GRAPH_APP.clientSecret,
    GRAPH_REQUESTS_PER_WINDOW: String(LIMITS.requestsPerWindow),
    GRAPH_WRITES_PER_WINDOW: String(LIMITS.writesPerWindow),
    GRAPH_WINDOW_SECONDS: String(LIMITS.windowSeconds),
  };
  const services: ServiceProcess[] = [];
  try {
    services.push(
      await startService('run-service', env),
      // The workers run as deployed (their heap limit); `BENCH_WORKER_NODE_ARGUMENTS=""` for none.
      await startService('capture-worker', env, { nodeArguments: workerNodeArguments() }),
      await startService('restore-worker', env, { nodeArguments: workerNodeArguments() }),
      await startService('gateway', { ...env, AUTH_MODE: 'development', AUTH_DEV_SIGNING_KEY: SIGNING_KEY }),
    );
    const gateway = services[3].url;
    const token = await signDevelopmentToken({ email: ADMIN_EMAIL, signingKey: SIGNING_KEY, expiresIn: '2h' });

    console.log(`capturing ${TENANTS} baseline backup sets (${TENANTS} × 50 policies; not measured)…`);
    const backups = await fleetRun(gateway, token, tenants, RunType.BackupSetCreate, { name: 'baseline' });
    console.log(`backups: ${JSON.stringify(backups.batch.counts)} in ${round(backups.wallMs / 1000)} s`);
    if (backups.batch.counts.succeeded !== TENANTS) throw new Error('not every baseline backup succeeded');

    emulator.journal.clear();
    const since = emulator.journal.lastSeq;
    console.log(`drift check of ${TENANTS} tenants through POST /api/fleet/runs…`);
    const drift = await fleetRun(gateway, token, tenants, RunType.DriftCheck, {});
    const entries = emulator.journal.list({ sinceSeq: since }).filter(budgeted);
    const perTenant = new Map<string, number>();
    for (const entry of entries) perTenant.set(entry.tenant ?? '?', (perTenant.get(entry.tenant ?? '?') ?? 0) + 1);
    const needs = [...perTenant.values()].sort((left, right) => left - right);
    const throttled = entries.filter((entry) => entry.status === 429).length;
    const timings = await runTimings(url);
    const durations = timings.map((run) => run.finished - run.started).sort((left, right) => left - right);
    const queueWaits = timings.map((run) => run.started - run.queued).sort((left, right) => left - right);

    // Benchmarks may not import apps: the worker's concurrency is read from its build.
    const { RestoreWorkerConfig } = await import(pathToFileURL(join(process.cwd(), 'dist/apps/restore-worker/src/restore-worker.config.js')).href);
    const concurrency = Number(process.env.COMMAND_CONCURRENCY ?? new RestoreWorkerConfig().COMMAND_CONCURRENCY);
    const requestsPerSecond = LIMITS.requestsPerWindow / LIMITS.windowSeconds;
    const graphBoundSeconds = needs[needs.length - 1] / requestsPerSecond;
    const wallSeconds = drift.wallMs / 1000;
    const medianRunSeconds = percentile(durations, 0.5) / 1000;
    const waves = Math.ceil(TENANTS / concurrency);

    const report = {
      date: new Date().toISOString(),
      node: process.version,
      tenants: TENANTS,
      policiesPerTenant: Object.values(POLICY_COUNTS).reduce((sum, count) => sum + count, 0),
      policyCounts: POLICY_COUNTS,
      limits: LIMITS,
      baseline: { madeBy: 'capture-worker (fleet start of backup_set.create)', wallSeconds: round(backups.wallMs / 1000), counts: backups.batch.counts },
      drift: {
        wallSeconds: round(wallSeconds),
        counts: drift.batch.counts,
        graphRequests: entries.length,
        throttled429: throttled,
        share429: round(throttled / Math.max(1, entries.length), 4),
        requestsPerTenant: { min: needs[0], p50: percentile(needs, 0.5), max: needs[needs.length - 1] },
        runSeconds: { p50: round(medianRunSeconds), p90: round(percentile(durations, 0.9) / 1000), max: round(durations[durations.length - 1] / 1000) },
        queueWaitSeconds: { p50: round(percentile(queueWaits, 0.5) / 1000), max: round(queueWaits[queueWaits.length - 1] / 1000) },
        observedPeakConcurrentRuns: peakConcurrency(timings),
      },
      bounds: {
        graphBudgetSeconds: round(graphBoundSeconds),
        graphBudgetNote: `largest per-tenant need (${needs[needs.length - 1]} requests) at ${requestsPerSecond} requests/s; tenants have separate budgets`,
        workerConcurrency: concurrency,
        concurrencyBoundSeconds: round(waves * medianRunSeconds),
        concurrencyBoundNote: `${waves} waves of ${concurrency} runs × the median run (${round(medianRunSeconds)} s)`,
        wallOverGraphBound: round(wallSeconds / graphBoundSeconds, 1),
        wallOverConcurrencyBound: round(wallSeconds / (waves * medianRunSeconds), 2),
      },
      peakMemoryMiB: Object.fromEntries(services.map((service) => [service.name, peakMemoryMiB(service)])),
    };
    console.log(JSON.stringify(report, null, 2));
    writeFileSync('bench/fleet-drift/last-run.json', `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    for (const service of services.reverse()) await service.stop().catch(() => undefined);
    await emulator.close();
    await deleteStreams(namespace);
    await dropBenchDatabase(database);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

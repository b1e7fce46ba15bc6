// Fleet overview latency (issue 12). `npm run bench:fleet` (builds first).
//
// 2,000 tenants, each with a run history written straight into run-service's tables (access checks,
// backups that succeeded, failed or were partial, inventory syncs, snapshots, drift checks, a few
// active runs; every third tenant a nightly schedule with ten slots and their runs): about 40,000
// runs. One operator is a member of every tenant. GET /api/fleet through the gateway process (JWT,
// the directory query, one request to the run-service process, its one statement), sequentially per
// scenario, then with concurrent clients. Then where the time goes: run-service's request alone over
// NATS, and its statement alone (EXPLAIN ANALYZE).
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { firstValueFrom } from 'rxjs';
import { RunRpc, RunStatus, RunType, TenantRole, type FleetStatusReply } from '@policyvault/contracts';
import { NamespacedNatsClient, signDevelopmentToken } from '@policyvault/platform';
import { startService, type ServiceProcess } from '@policyvault/testing';
import { NATS_URL, createBenchDatabase, deleteStreams, dropBenchDatabase, peakMemoryMiB, percentile } from '../support/bench-environment.js';

const TENANTS = Number(process.env.BENCH_TENANTS ?? 2000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const CONCURRENT_CLIENTS = 8;
const WARM_UP = 30;
const SIGNING_KEY = 'fleet-benchmark-signing-key-0123456789abcdef';
const OPERATOR = { id: randomUUID(), email: 'fleet-operator@msp.test' };
const stamp = Date.now().toString(36);
const database = `pv_bench_fleet_${stamp}`;
const namespace = `pvbench_fleet_${stamp}`;
const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.now();
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();
const HEALTHS = ['ok', 'ok', 'ok', 'missing_permissions', 'no_consent', 'unreachable'];

/** A deterministic pseudo-random number in [0, 1) per (tenant, purpose). */
function noise(tenant: number, purpose: number): number {
  const x = Math.sin(tenant * 12.9898 + purpose * 78.233) * 43758.5453;
  return x - Math.floor(x);
}

interface RunRow {
  id: string;
  tenant_id: string;
  type: string;
  status: string;
  finished_at: string | null;
  summary: object | null;
  error: object | null;
  succeeded_items: number;
}

function history(tenantId: string, index: number): RunRow[] {
  const rows: RunRow[] = [];
  const add = (type: string, status: string, finishedAt: string | null, summary: object | null = null, items = 0) =>
    rows.push({
      id: randomUUID(),
      tenant_id: tenantId,
      type,
      status,
      finished_at: finishedAt,
      summary,
      error: status === RunStatus.Failed ? { code: 'graph_unavailable', message: 'Graph did not answer.' } : null,
      succeeded_items: items,
    });
  for (const [purpose, days] of [30, 14, 1].entries()) {
    const health = HEALTHS[Math.floor(noise(index, purpose) * HEALTHS.length)];
    add('tenant.verify_access', RunStatus.Succeeded, ago(days), { health, missingPermissions: health === 'missing_permissions' ? ['DeviceManagementApps.Read.All'] : [], grantedPermissions: [] });
  }
  for (const [purpose, days] of [20, 10, 5, 2].entries()) {
    const roll = noise(index, 10 + purpose);
    const status = roll < 0.7 ? RunStatus.Succeeded : roll < 0.9 ? RunStatus.Failed : RunStatus.Partial;
    add(RunType.BackupSetCreate, status, ago(days - noise(index, 20 + purpose)), status === RunStatus.Failed ? null : { backupSetId: randomUUID() }, 40 + Math.floor(roll * 60));
  }
  for (const [purpose, days] of [25, 12, 6, 3].entries()) {
    add(RunType.InventorySync, noise(index, 30 + purpose) < 0.85 ? RunStatus.Succeeded : RunStatus.Failed, ago(days));
  }
  add(RunType.PolicyCaptureSnapshot, RunStatus.Succeeded, ago(9));
  add(RunType.PolicyCaptureSnapshot, RunStatus.Succeeded, ago(4));
  if (index % 3 !== 2) {
    add('drift.check', RunStatus.Succeeded, ago(7), { driftStatus: 'none', added: 0, removed: 0, changed: 0, unchanged: 50 });
    const drifted = noise(index, 40) < 0.3;
    add('drift.check', RunStatus.Succeeded, ago(1), { reportId: randomUUID(), driftStatus: drifted ? 'drifted' : 'none', added: drifted ? 1 : 0, removed: 0, changed: drifted ? 2 : 0, unchanged: 47 });
  }
  if (noise(index, 50) < 0.05) add(RunType.InventorySync, RunStatus.Queued, null);
  return rows;
}

async function insertRuns(client: pg.Client, rows: RunRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 5000) {
    await client.query(
      `INSERT INTO run_service.runs (id, tenant_id, tenant_directory_id, type, target, scope, scope_hash, dedupe_key, status,
         succeeded_items, total_items, initiator_user_id, initiator_email, summary, error, queued_at, started_at, finished_at)
       SELECT id, tenant_id, 'directory', type, '{}', '{}', 'hash', id::text, status, succeeded_items, succeeded_items, $2, $3, summary, error,
              coalesce(finished_at, now()) - interval '3 minutes', coalesce(finished_at, now()) - interval '2 minutes', finished_at
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, tenant_id uuid, type text, status text, finished_at timestamptz,
         summary jsonb, error jsonb, succeeded_items int)`,
      [JSON.stringify(rows.slice(start, start + 5000)), OPERATOR.id, OPERATOR.email],
    );
  }
}

/** The directory (tenants, one operator in all of them) and every tenant's history. */
async function seed(url: string): Promise<{ tenantIds: string[]; runs: number; schedules: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tenantIds = Array.from({ length: TENANTS }, () => randomUUID());
    await client.query(`INSERT INTO gateway.users (id, email, display_name) VALUES ($1, $2, 'Fleet Operator')`, [OPERATOR.id, OPERATOR.email]);
    await client.query(
      `INSERT INTO gateway.tenants (id, display_name, directory_id) SELECT id, 'Customer ' || lpad(n::text, 5, '0'), gen_random_uuid()
       FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [tenantIds],
    );
    await client.query(`INSERT INTO gateway.memberships (user_id, tenant_id, role) SELECT $1, id, $3::gateway.membership_role FROM unnest($2::uuid[]) AS t(id)`, [
      OPERATOR.id,
      tenantIds,
      TenantRole.Operator,
    ]);
    const rows = tenantIds.flatMap((tenantId, index) => history(tenantId, index));
    // Every third tenant: a nightly schedule, ten slots, each with its backup_schedule.run.
    const schedules: unknown[][] = [];
    const slots: unknown[][] = [];
    for (const [index, tenantId] of tenantIds.entries()) {
      if (index % 3 !== 0) continue;
      const scheduleId = randomUUID();
      schedules.push([scheduleId, tenantId]);
      for (let day = 10; day >= 1; day -= 1) {
        const runId = randomUUID();
        const succeeded = noise(index, 60 + day) < 0.9;
        rows.push({
          id: runId,
          tenant_id: tenantId,
          type: RunType.BackupScheduleRun,
          status: succeeded ? RunStatus.Succeeded : RunStatus.Failed,
          finished_at: ago(day - 0.1),
          summary: succeeded ? { backupSetId: randomUUID(), scheduleId } : null,
          error: succeeded ? null : { code: 'tenant_throttled', message: 'Postponed too often.' },
          succeeded_items: succeeded ? 80 : 0,
        });
        slots.push([scheduleId, ago(day), runId]);
      }
    }
    await insertRuns(client, rows);
    await client.query(
      `INSERT INTO run_service.backup_schedules (id, tenant_id, tenant_directory_id, name, enabled, frequency, time_of_day, time_zone, keep_last, next_run_at, created_by_user_id, created_by_email)
       SELECT id, tenant_id, 'directory', 'Nightly', true, 'daily', '02:00', 'UTC', 14, now() + interval '1 day', $3, $4 FROM unnest($1::uuid[], $2::uuid[]) AS s(id, tenant_id)`,
      [schedules.map((row) => row[0]), schedules.map((row) => row[1]), OPERATOR.id, OPERATOR.email],
    );
    await client.query(
      `INSERT INTO run_service.schedule_slots (schedule_id, slot_at, status, run_id) SELECT schedule_id, slot_at, 'dispatched', run_id
       FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[]) AS s(schedule_id, slot_at, run_id)`,
      [slots.map((row) => row[0]), slots.map((row) => row[1]), slots.map((row) => row[2])],
    );
    // Runs written straight into the table: their tenants' fleet status is filled the way the migration does.
    const sql = await import(pathToFileURL(join(process.cwd(), 'dist/apps/run-service/src/database/run-service.sql.js')).href);
    const kinds = await import(pathToFileURL(join(process.cwd(), 'dist/apps/run-service/src/fleet/fleet-run-kinds.js')).href);
    await sql.refreshFleetStatus(client, kinds.FLEET_RUN_KINDS);
    await client.query('VACUUM ANALYZE');
    return { tenantIds, runs: rows.length, schedules: schedules.length };
  } finally {
    await client.end();
  }
}

interface Latencies {
  requests: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

function summarize(samples: number[]): Latencies {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return { requests: sorted.length, p50: round(percentile(sorted, 0.5)), p90: round(percentile(sorted, 0.9)), p99: round(percentile(sorted, 0.99)), max: round(sorted[sorted.length - 1]) };
}

async function timedGet(url: string, token: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = (await response.json()) as { total?: number };
  if (response.status !== 200 || typeof body.total !== 'number') throw new Error(`${url} answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return performance.now() - started;
}

async function sequential(url: string, token: string, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < count; index += 1) samples.push(await timedGet(url, token));
  return samples;
}

/** run-service's fleet request alone (NATS, validation, its one statement), the default page; 20 after 5 warm-up. */
async function runServiceRequest(tenantIds: string[]): Promise<Latencies> {
  const rpc = new NamespacedNatsClient(namespace, { servers: NATS_URL, timeout: 30_000 });
  await rpc.connect();
  try {
    const samples: number[] = [];
    for (let index = 0; index < 105; index += 1) {
      const started = performance.now();
      await firstValueFrom(rpc.send<FleetStatusReply>(RunRpc.fleetStatus, { tenantIds, filter: {}, sort: 'name', limit: 50, offset: 0 }));
      if (index >= 5) samples.push(performance.now() - started);
    }
    return summarize(samples);
  } finally {
    await rpc.close();
  }
}

/** The statement alone as Postgres plans and runs it (EXPLAIN ANALYZE: execution time, no network), median of 20. */
async function statementMs(url: string, tenantIds: string[]): Promise<{ executionMs: number; planningMs: number }> {
  // Benchmarks may not import apps: the statement is loaded from the build, as bench-environment loads the seed.
  const sql = await import(pathToFileURL(join(process.cwd(), 'dist/apps/run-service/src/database/run-service.sql.js')).href);
  const kinds = await import(pathToFileURL(join(process.cwd(), 'dist/apps/run-service/src/fleet/fleet-run-kinds.js')).href);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const explained = {
    query: async (text: string, parameters: unknown[]) => (await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, parameters)).rows,
  };
  try {
    const execution: number[] = [];
    const planning: number[] = [];
    for (let index = 0; index < 25; index += 1) {
      const [row] = (await sql.selectFleetPage(explained, kinds.FLEET_ORDER_SQL.name, {
        tenantIds,
        health: null,
        drift: null,
        noSuccessfulBackupSince: null,
        limit: 50,
        offset: 0,
      })) as { 'QUERY PLAN': { 'Execution Time': number; 'Planning Time': number }[] }[];
      if (index < 5) continue;
      execution.push(row['QUERY PLAN'][0]['Execution Time']);
      planning.push(row['QUERY PLAN'][0]['Planning Time']);
    }
    return { executionMs: summarize(execution).p50, planningMs: summarize(planning).p50 };
  } finally {
    await client.end();
  }
}

async function main() {
  const services: ServiceProcess[] = [];
  try {
    const url = await createBenchDatabase(database);
    const seeded = await seed(url);
    const env = { DATABASE_URL: url, NATS_URL, NATS_NAMESPACE: namespace, LOG_LEVEL: 'warn' };
    services.push(await startService('run-service', env, { instance: 'run-service' }));
    services.push(await startService('gateway', { ...env, AUTH_MODE: 'development', AUTH_DEV_SIGNING_KEY: SIGNING_KEY }, { instance: 'gateway' }));
    const gateway = services[1].url;
    const token = await signDevelopmentToken({ email: OPERATOR.email, signingKey: SIGNING_KEY, expiresIn: '1h' });
    const lastPage = Buffer.from(JSON.stringify([String(TENANTS - 50)])).toString('base64url');
    const scenarios = [
      { name: 'by name, 50 per page (the default)', path: '/api/fleet' },
      { name: 'never/oldest backup first, 200 per page', path: '/api/fleet?sort=lastBackupAt&limit=200' },
      { name: 'health=missing_permissions', path: '/api/fleet?health=missing_permissions' },
      { name: 'no successful backup for 3 days, worst health first', path: `/api/fleet?noSuccessfulBackupSince=${encodeURIComponent(ago(3))}&sort=health` },
      { name: 'drift=drifted, last page by name', path: `/api/fleet?drift=drifted&sort=-name` },
      { name: 'the last page of 50', path: `/api/fleet?cursor=${lastPage}` },
    ];
    await sequential(`${gateway}${scenarios[0].path}`, token, WARM_UP); // JIT, pools, plans
    const results: Record<string, Latencies> = {};
    const everything: number[] = [];
    for (const scenario of scenarios) {
      const samples = await sequential(`${gateway}${scenario.path}`, token, REQUESTS);
      results[scenario.name] = summarize(samples);
      everything.push(...samples);
      console.log(scenario.name, results[scenario.name]);
    }
    const concurrentStarted = performance.now();
    const concurrent = (
      await Promise.all(
        Array.from({ length: CONCURRENT_CLIENTS }, (_, client) => sequential(`${gateway}${scenarios[client % scenarios.length].path}`, token, Math.ceil(REQUESTS / 2))),
      )
    ).flat();
    const concurrentSeconds = (performance.now() - concurrentStarted) / 1000;
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      tenants: TENANTS,
      runs: seeded.runs,
      runsPerTenant: Math.round((seeded.runs / TENANTS) * 10) / 10,
      schedules: seeded.schedules,
      sequentialPerScenario: results,
      sequentialAll: summarize(everything),
      concurrent: { clients: CONCURRENT_CLIENTS, ...summarize(concurrent), requestsPerSecond: Math.round(concurrent.length / concurrentSeconds) },
      runServiceRequestMs: await runServiceRequest(seeded.tenantIds),
      runServiceStatement: await statementMs(url, seeded.tenantIds),
      peakMemoryMiB: Object.fromEntries(services.map((service) => [service.name, peakMemoryMiB(service)])),
    };
    writeFileSync('bench/fleet/last-run.json', `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await Promise.all(services.map((service) => service.stop()));
    // BENCH_KEEP_DATABASE=true keeps the seeded database for EXPLAIN and friends.
    if (process.env.BENCH_KEEP_DATABASE === 'true') console.log(`kept database ${database}`);
    else await dropBenchDatabase(database);
    await deleteStreams(namespace);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

// Capture throughput benchmark (issue 4). `npm run build && node dist/bench/capture/capture.bench.js`
//
// run-service + capture-worker(s) started for real, the Graph emulator in-process with Intune's limits
// (1,000 requests and 100 writes per 20 s per app and tenant, `$batch` items counted one each) and
// Graph-like latency. Each scenario starts `backup_set.create` runs (every non-foundation type: listed
// live, then every policy captured with its sub-resources) through run-service's RPC, and measures
// items per second, each tenant's share of its read budget over its active time, the 429 share, and
// every worker's peak memory (VmHWM). Then full vs incremental capture of an unchanged 2,000-policy tenant
// (incremental.bench.ts; alone: BENCH_INCREMENTAL_ONLY=1).
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { DEMO_GRAPH_APP } from '@policyvault/contracts';
import { startGraphEmulator, type JournalEntry, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { NamespacedNatsClient } from '@policyvault/platform';
import { startService, type ServiceProcess } from '@policyvault/testing';
import { runIncrementalBench } from './incremental.bench.js';
import { NATS_URL, createBenchDatabase, deleteStreams, dropBenchDatabase, peakMemoryMiB, percentile } from '../support/bench-environment.js';
import { backUpTenants } from '../support/run-driver.js';

const WINDOW_SECONDS = Number(process.env.BENCH_WINDOW_SECONDS ?? 20);
const REQUESTS_PER_WINDOW = 1000;
const LATENCY = { min: Number(process.env.BENCH_LATENCY_MIN_MS ?? 30), max: Number(process.env.BENCH_LATENCY_MAX_MS ?? 150) };
const stamp = Date.now().toString(36);
const database = `pv_bench_capture_${stamp}`;
const namespace = `pvbench_cap_${stamp}`;

interface Scenario {
  name: string;
  tenants: number;
  policiesPerTenant: number;
  workers: number;
}

const SCENARIOS: Scenario[] = [
  { name: '1 tenant × 500 policies, 1 worker', tenants: 1, policiesPerTenant: 500, workers: 1 },
  { name: '1 tenant × 500 policies, 2 workers', tenants: 1, policiesPerTenant: 500, workers: 2 },
  { name: '20 tenants × 100 policies, 1 worker', tenants: 20, policiesPerTenant: 100, workers: 1 },
  { name: '20 tenants × 100 policies, 2 workers', tenants: 20, policiesPerTenant: 100, workers: 2 },
];

/** Seeds `total` policies over the 15 non-foundation types (the remainder on device configurations). */
function seedCounts(total: number): Record<string, number> {
  const types = [
    'deviceConfiguration', 'settingsCatalogPolicy', 'compliancePolicy', 'administrativeTemplate', 'endpointSecurityIntent',
    'windowsPlatformScript', 'macOSPlatformScript', 'remediationScript', 'windowsFeatureUpdateProfile', 'windowsQualityUpdateProfile',
    'windowsDriverUpdateProfile', 'enrollmentConfiguration', 'autopilotProfile', 'appProtectionPolicy', 'appConfigurationPolicy',
  ];
  const each = Math.floor(total / types.length);
  const counts: Record<string, number> = Object.fromEntries(types.map((type) => [type, each]));
  counts.deviceConfiguration += total - each * types.length;
  return { ...counts, assignmentFilter: 0, scopeTag: 0 };
}

interface TenantResult {
  directoryId: string;
  requests: number;
  throttled: number;
  activeSeconds: number;
  budgetShare: number;
}

/** CPU time (user + system) a service process has used so far, in seconds. */
function cpuSeconds(service: ServiceProcess): number {
  const fields = readFileSync(`/proc/${service.process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

async function runScenario(
  emulator: RunningGraphEmulator,
  rpc: NamespacedNatsClient,
  runService: ServiceProcess,
  env: Record<string, string>,
  scenario: Scenario,
  index: number,
) {
  const tenants = Array.from({ length: scenario.tenants }, (_, tenant) => ({ id: randomUUID(), directoryId: randomUUID(), label: `s${index}-t${tenant}` }));
  for (const tenant of tenants) {
    emulator.admin.resetTenant(tenant.directoryId, { displayName: tenant.label, seed: { policiesPerType: 0, counts: seedCounts(scenario.policiesPerTenant) } });
    emulator.admin.setFaults(tenant.directoryId, { latencyMs: LATENCY });
  }
  const workers: ServiceProcess[] = [];
  for (let worker = 0; worker < scenario.workers; worker += 1) workers.push(await startService('capture-worker', env, { instance: `bench-capture-${index}-${worker + 1}` }));
  const sinceSeq = emulator.journal.lastSeq;

  const cpuAtStart = new Map(workers.map((worker) => [worker, cpuSeconds(worker)]));
  const runServiceCpuAtStart = cpuSeconds(runService);
  const emulatorCpuAtStart = process.cpuUsage();
  const startedAt = Date.now();
  const waited = await backUpTenants(rpc, tenants, 'Benchmark', { pollMs: 250 });
  const finished = waited.runs.map((run) => waited.finished.get(run.runId)!);
  const wallSeconds = (Date.now() - startedAt) / 1000;
  const memory = workers.map(peakMemoryMiB);
  const workerCpuSeconds = workers.map((worker) => round(cpuSeconds(worker) - (cpuAtStart.get(worker) ?? 0)));
  const runServiceCpuSeconds = round(cpuSeconds(runService) - runServiceCpuAtStart);
  const emulatorCpuSeconds = round((process.cpuUsage(emulatorCpuAtStart).user + process.cpuUsage(emulatorCpuAtStart).system) / 1e6);
  const runsPerWorker = workers.map((_, worker) => finished.filter((run) => String(run.summary?.workerId ?? '').endsWith(`:${workers[worker].process.pid}`)).length);
  await Promise.all(workers.map((worker) => worker.stop()));

  const entries = emulator.journal.list({ sinceSeq }).filter((entry) => entry.kind !== 'token');
  if (process.env.BENCH_TRACE) {
    const first = entries.filter((entry) => entry.tenant === tenants[0].directoryId && entry.kind !== 'batch-item');
    for (const entry of first) console.error(`${entry.time - startedAt}\t${entry.respondedAt - entry.time}\t${entry.method} ${entry.path}`);
  }
  const perTenant: TenantResult[] = tenants.map((tenant) => budget(entries.filter((entry) => entry.tenant === tenant.directoryId), tenant.directoryId));
  const items = finished.reduce((sum, run) => sum + run.counts.succeeded, 0);
  const failed = finished.reduce((sum, run) => sum + run.counts.failed, 0);
  const requests = perTenant.reduce((sum, tenant) => sum + tenant.requests, 0);
  const throttled = perTenant.reduce((sum, tenant) => sum + tenant.throttled, 0);
  const shares = perTenant.map((tenant) => tenant.budgetShare).sort((a, b) => a - b);
  return {
    scenario: scenario.name,
    statuses: [...new Set(finished.map((run) => run.status))],
    items,
    failed,
    wallSeconds: round(wallSeconds),
    itemsPerSecond: round(items / wallSeconds),
    requests,
    share429: round((100 * throttled) / Math.max(1, requests), 2),
    budgetSharePercent: { min: round(100 * shares[0]), median: round(100 * percentile(shares, 0.5)), max: round(100 * shares[shares.length - 1]) },
    workerPeakMemoryMiB: memory,
    cpuSeconds: { workers: workerCpuSeconds, runService: runServiceCpuSeconds, emulatorAndBench: emulatorCpuSeconds },
    runsPerWorker,
  };
}

/**
 * A tenant's counted requests (what the emulator's throttle counts: batch items one each, plus plain
 * requests; not the `$batch` envelopes) over its active time, against 1,000 per 20 s.
 */
function budget(entries: JournalEntry[], directoryId: string): TenantResult {
  const counted = entries.filter((entry) => entry.kind === 'batch-item' || !entry.path.endsWith('/$batch'));
  const first = Math.min(...counted.map((entry) => entry.time));
  const last = Math.max(...counted.map((entry) => entry.respondedAt));
  const activeSeconds = Math.max(0.001, (last - first) / 1000);
  const accepted = counted.filter((entry) => entry.status !== 429).length;
  return {
    directoryId,
    requests: counted.length,
    throttled: counted.length - accepted,
    activeSeconds,
    budgetShare: accepted / (activeSeconds * (REQUESTS_PER_WINDOW / WINDOW_SECONDS)),
  };
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

async function main() {
  const emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false, throttle: { requestsPerWindow: REQUESTS_PER_WINDOW, writesPerWindow: 100, windowSeconds: WINDOW_SECONDS } });
  const url = await createBenchDatabase(database, { seed: false });
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
    GRAPH_WINDOW_SECONDS: String(WINDOW_SECONDS),
  };
  const runService = await startService('run-service', env, { instance: 'bench-capture-run-service' });
  const rpc = new NamespacedNatsClient(namespace, { servers: NATS_URL, timeout: 10_000 });
  await rpc.connect();
  const results = [];
  let incremental: Awaited<ReturnType<typeof runIncrementalBench>> | undefined;
  try {
    const only = process.env.BENCH_ONLY?.split(',').map(Number);
    const incrementalOnly = process.env.BENCH_INCREMENTAL_ONLY === '1';
    for (const [index, scenario] of SCENARIOS.entries()) {
      if ((only && !only.includes(index)) || incrementalOnly) continue;
      const result = await runScenario(emulator, rpc, runService, env, scenario, index);
      console.log(JSON.stringify(result));
      results.push(result);
    }
    // Issue 17: full vs incremental capture of an unchanged 2,000-policy tenant.
    incremental = await runIncrementalBench({ emulator, rpc, env, databaseUrl: url, seedCounts, latencyMs: LATENCY });
    console.log(JSON.stringify(incremental));
  } finally {
    await rpc.close();
    await runService.stop();
    await emulator.close();
    await deleteStreams(namespace);
    await dropBenchDatabase(database);
  }
  mkdirSync('bench/results', { recursive: true });
  // BENCH_INCREMENTAL_ONLY keeps the throughput scenarios' last results.
  const earlier = process.env.BENCH_INCREMENTAL_ONLY === '1' ? (JSON.parse(readFileSync('bench/results/capture.json', 'utf8')) as { results?: unknown[] }).results ?? [] : results;
  writeFileSync('bench/results/capture.json', `${JSON.stringify({ windowSeconds: WINDOW_SECONDS, latencyMs: LATENCY, results: earlier, incremental }, null, 2)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

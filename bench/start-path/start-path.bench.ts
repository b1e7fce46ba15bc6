// Start-path benchmark (issue 2). `npm run build && node dist/bench/start-path/start-path.bench.js`
//
// Through the gateway (HTTP, JWT, membership, NATS request/reply to two run-service replicas, one
// Postgres transaction per start, outbox relay to JetStream), 64 connections, distinct targets.
// Measured in the same run: the raw Postgres ceiling for the same transaction (pgbench, 64 clients),
// the commit → command-on-stream latency, and each service's peak memory.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { DEMO_TENANTS, jetStreamNames, type RunCommand } from '@policyvault/contracts';
import { LOCAL_DEVELOPMENT_SIGNING_KEY, signDevelopmentToken } from '@policyvault/platform';
import { startService, type ServiceProcess } from '@policyvault/testing';
import {
  NATS_URL,
  cpuSeconds,
  createBenchDatabase,
  databaseBackendPids,
  natsServerPid,
  processCpuSeconds,
  processSyscalls,
  databaseUrl,
  deleteStreams,
  dropBenchDatabase,
  peakMemoryMiB,
  percentile,
} from '../support/bench-environment.js';
import { loadStartPath } from '../support/start-path-load.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 20);
/** `BENCH_CPU_PROF=<dir>`: each service writes a V8 CPU profile there at its exit (`node --cpu-prof`); summarize with bench/support/cpu-profile-summary. */
const CPU_PROFILE_DIRECTORY = process.env.BENCH_CPU_PROF;
/**
 * `BENCH_RATE=<starts/s>`: hold the load to this rate (CPU per start then compares the same work); default flat out.
 * autocannon sends each connection's quota for a second at that second's start, so such a run comes in bursts: its
 * latencies (gateway, commit → stream) are not those of a steady rate and compare with nothing but each other.
 */
const RATE = process.env.BENCH_RATE ? Number(process.env.BENCH_RATE) : undefined;
/** `BENCH_RUN_SERVICE_REPLICAS` (default 2) and `BENCH_GATEWAY_REPLICAS` (default 1; autocannon spreads its connections over them). */
const RUN_SERVICE_REPLICAS = Number(process.env.BENCH_RUN_SERVICE_REPLICAS ?? 2);
const GATEWAY_REPLICAS = Number(process.env.BENCH_GATEWAY_REPLICAS ?? 1);
/** `BENCH_SERVICES_ROOT=<checkout>`: run the services of another build (its dist/), e.g. the commit before a change. */
const SERVICES_ROOT = process.env.BENCH_SERVICES_ROOT;
/** `BENCH_NODE_ARGS="--max-semi-space-size=32 …"`: Node options for every service process (compare runtime settings in one sitting). */
const NODE_ARGUMENTS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((argument) => argument.length > 0);
/** `BENCH_CEILING=false`: no pgbench (for CPU-per-start comparisons at a fixed `BENCH_RATE`). */
const MEASURE_CEILING = process.env.BENCH_CEILING !== 'false';
const NO_CEILING = { tps: Number.NaN, latencyMs: Number.NaN, clients: 0 };
const stamp = Date.now().toString(36);
const database = `pv_bench_start_${stamp}`;
const ceilingDatabase = `pv_bench_ceiling_${stamp}`;
const namespace = `pvbench_${stamp}`;
const tenant = DEMO_TENANTS[0];

function postgresCeiling(): { tps: number; latencyMs: number; clients: number } {
  const script = `
WITH inserted AS (
  INSERT INTO run_service.runs (id, tenant_id, tenant_directory_id, type, target, scope, scope_hash, dedupe_key, status, initiator_user_id, initiator_email)
  VALUES (gen_random_uuid(), '${tenant.id}', '${tenant.directoryId}', 'policy.capture_snapshot',
          jsonb_build_object('policyId', gen_random_uuid()), '{}', md5(''), md5(random()::text), 'queued',
          '${randomUUID()}', 'owner@contoso.test')
  ON CONFLICT (dedupe_key) WHERE status IN ('queued', 'running') DO NOTHING
  RETURNING *
), command AS (
  INSERT INTO run_service.outbox (subject, message_id, payload)
  SELECT 'bench.cmd', 'run:' || id || ':command', jsonb_build_object('runId', id) FROM inserted
)
SELECT * FROM inserted;
`;
  mkdirSync('tmp', { recursive: true });
  writeFileSync('tmp/start-transaction.sql', script);
  const run = (clients: number) =>
    execFileSync('pgbench', ['-n', '-c', String(clients), '-j', '2', '-T', '15', '-f', 'tmp/start-transaction.sql', databaseUrl(ceilingDatabase)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  let output = '';
  // The Postgres server is shared: when other work holds most of its connections, wait and try again; after a
  // minute, with half the clients (fewer clients contend less: a ceiling at least as high, a ratio no better).
  let clients = CONNECTIONS;
  for (let attempt = 1; ; attempt += 1) {
    try {
      output = run(clients);
      break;
    } catch (error) {
      if (attempt >= 40 || !String((error as { stderr?: string }).stderr).includes('too many clients')) throw error;
      if (attempt === 20) clients = Math.ceil(CONNECTIONS / 2);
      execFileSync('sleep', ['3']);
    }
  }
  const tps = Number(/tps = ([\d.]+)/.exec(output)?.[1]);
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(output)?.[1]);
  return { tps, latencyMs, clients };
}

/** For every command on the stream: stream store time − the run's queued_at (set inside the transaction). */
async function commitToStreamLatencies(url: string): Promise<number[]> {
  const names = jetStreamNames(namespace);
  const connection = await connect({ servers: NATS_URL });
  const manager = await jetstreamManager(connection);
  const { state } = await manager.streams.info(names.commandStream);
  const storedAt = new Map<string, number>();
  const sequences = Array.from({ length: state.last_seq - state.first_seq + 1 }, (_, index) => state.first_seq + index);
  for (let offset = 0; offset < sequences.length; offset += 100) {
    const batch = await Promise.all(
      sequences.slice(offset, offset + 100).map((seq) => manager.streams.getMessage(names.commandStream, { seq }).catch(() => null)),
    );
    for (const message of batch) if (message) storedAt.set(message.json<RunCommand>().runId, message.time.getTime());
  }
  await connection.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ id: string; queued_ms: string }>(
    `SELECT id, (extract(epoch FROM queued_at) * 1000)::float8 AS queued_ms FROM run_service.runs`,
  );
  await client.end();
  return rows
    .filter((row) => storedAt.has(row.id))
    .map((row) => storedAt.get(row.id)! - Number(row.queued_ms))
    .sort((a, b) => a - b);
}

async function main() {
  const services: ServiceProcess[] = [];
  const loadAverage = loadavg().map((value) => Number(value.toFixed(2)));
  try {
    const url = await createBenchDatabase(database);
    await createBenchDatabase(ceilingDatabase, { seed: false });
    // The machine is shared: the ceiling is measured before and after the load, and the ratio uses their mean.
    const ceilingBefore = MEASURE_CEILING ? postgresCeiling() : NO_CEILING;
    // One user and one tenant at thousands of starts a second: the rate limits are raised (still counted) so they do not refuse.
    const rateLimits = { RATE_LIMIT_USER_REQUESTS: '100000000', RATE_LIMIT_TENANT_REQUESTS: '100000000' };
    const nodeArguments = [...NODE_ARGUMENTS, ...(CPU_PROFILE_DIRECTORY ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROFILE_DIRECTORY}`] : [])];
    const root = SERVICES_ROOT ?? process.cwd();
    const env = { DATABASE_URL: url, NATS_URL, NATS_NAMESPACE: namespace, LOG_LEVEL: 'warn', AUTH_MODE: 'development', AUTH_DEV_SIGNING_KEY: LOCAL_DEVELOPMENT_SIGNING_KEY, ...rateLimits };
    for (let replica = 1; replica <= RUN_SERVICE_REPLICAS; replica += 1) {
      services.push(await startService('run-service', env, { instance: `run-service-${replica}`, nodeArguments, root, readyTimeoutMs: 120_000 }));
    }
    const gateways: ServiceProcess[] = [];
    for (let replica = 1; replica <= GATEWAY_REPLICAS; replica += 1) {
      gateways.push(await startService('gateway', env, { instance: GATEWAY_REPLICAS === 1 ? 'gateway' : `gateway-${replica}`, nodeArguments, root, readyTimeoutMs: 120_000 }));
    }
    services.push(...gateways);
    const token = await signDevelopmentToken({ email: 'owner@contoso.test', signingKey: LOCAL_DEVELOPMENT_SIGNING_KEY, expiresIn: '1h' });

    // CPU per start of each service, of the Postgres backends serving the bench database (their pools are open
    // after the warm-up) and of the load generator (this process). The NATS server is shared with other work: not counted.
    let cpuBefore: number[] = [];
    let syscallsBefore: number[] = [];
    let backendPids: number[] = [];
    let backendsBefore = 0;
    // The NATS server is shared with other work on this machine: its share is an upper bound, reported apart.
    const natsServer = natsServerPid();
    let natsServerBefore = 0;
    let loadGeneratorBefore = process.cpuUsage();
    const gatewayUrls = gateways.map((gateway) => gateway.url);
    const result = await loadStartPath(gatewayUrls, token, {
      connections: CONNECTIONS,
      durationSeconds: DURATION_SECONDS,
      overallRate: RATE,
      beforeMeasure: async () => {
        backendPids = await databaseBackendPids(url);
        backendsBefore = backendPids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
        natsServerBefore = natsServer ? processCpuSeconds(natsServer) : 0;
        cpuBefore = services.map(cpuSeconds);
        syscallsBefore = services.map((service) => processSyscalls(service.process.pid!));
        loadGeneratorBefore = process.cpuUsage();
      },
    });
    const backends = backendPids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0) - backendsBefore;
    const natsServerCpu = natsServer ? processCpuSeconds(natsServer) - natsServerBefore : Number.NaN;
    const loadGenerator = process.cpuUsage(loadGeneratorBefore);
    const perStart = (seconds: number) => Number(((seconds * 1000) / Math.max(1, result.requests.total)).toFixed(3));
    const cpuMillisecondsPerStart: Record<string, number> = Object.fromEntries(
      services.map((service, index) => [service.name, perStart(cpuSeconds(service) - cpuBefore[index])]),
    );
    const syscallsPerStart = Object.fromEntries(
      services.map((service, index) => [
        service.name,
        Number(((processSyscalls(service.process.pid!) - syscallsBefore[index]) / Math.max(1, result.requests.total)).toFixed(2)),
      ]),
    );
    cpuMillisecondsPerStart[`postgres (${backendPids.length} backends)`] = perStart(backends);
    cpuMillisecondsPerStart['load generator'] = perStart((loadGenerator.user + loadGenerator.system) / 1e6);
    cpuMillisecondsPerStart['nats-server (shared, at most)'] = perStart(natsServerCpu);
    const memory = Object.fromEntries(services.map((service) => [service.name, peakMemoryMiB(service)]));
    await new Promise((resolve) => setTimeout(resolve, 1500)); // let the relay finish
    const latencies = await commitToStreamLatencies(url);
    await Promise.all(services.map((service) => service.stop()));
    services.length = 0;
    const ceilingAfter = MEASURE_CEILING ? postgresCeiling() : NO_CEILING;
    const ceiling = { tps: (ceilingBefore.tps + ceilingAfter.tps) / 2, latencyMs: (ceilingBefore.latencyMs + ceilingAfter.latencyMs) / 2 };

    const report = {
      date: new Date().toISOString(),
      node: process.version,
      services: SERVICES_ROOT ?? 'this checkout',
      replicas: { gateway: GATEWAY_REPLICAS, runService: RUN_SERVICE_REPLICAS },
      connections: CONNECTIONS,
      durationSeconds: DURATION_SECONDS,
      ...(RATE ? { rate: RATE } : {}),
      gateway: {
        requestsPerSecond: Math.round(result.requests.average),
        totalRequests: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
      },
      postgresCeiling: {
        transactionsPerSecond: Math.round(ceiling.tps),
        averageLatencyMs: Number(ceiling.latencyMs.toFixed(3)),
        before: Math.round(ceilingBefore.tps),
        after: Math.round(ceilingAfter.tps),
        clients: [ceilingBefore.clients, ceilingAfter.clients],
      },
      ratioGatewayToCeiling: Number((result.requests.average / ceiling.tps).toFixed(3)),
      commitToStreamMs: {
        samples: latencies.length,
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        max: latencies[latencies.length - 1],
      },
      cpuMillisecondsPerStart,
      /** read + write system calls per start (/proc/<pid>/io): sockets to the client, NATS and Postgres. */
      syscallsPerStart,
      loadAverageAtStart: loadAverage,
      peakMemoryMiB: memory,
    };
    mkdirSync('bench/start-path', { recursive: true });
    writeFileSync('bench/start-path/last-run.json', `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await Promise.all(services.map((service) => service.stop()));
    await dropBenchDatabase(database);
    await dropBenchDatabase(ceilingDatabase);
    await deleteStreams(namespace);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

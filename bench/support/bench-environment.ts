// Shared set-up for benchmarks: a database of their own (migrated, demo tenants seeded), a NATS
// namespace of their own, and services started for real from dist/ (run `npm run build` first).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { jetStreamNames } from '@policyvault/contracts';
import type { ServiceProcess } from '@policyvault/testing';

export const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const NATS_URL = process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';

export function databaseUrl(name: string): string {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A new database migrated (and seeded) by the build whose services the bench runs: `BENCH_SERVICES_ROOT` when
 * given, so that an A/B of a change to the schema runs each side's services on its own schema.
 */
export async function createBenchDatabase(name: string, { seed = true } = {}): Promise<string> {
  const root = process.env.BENCH_SERVICES_ROOT ?? process.cwd();
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = databaseUrl(name);
  execFileSync(process.execPath, [join(root, 'tools/scripts/migrate.mjs')], { env: { ...process.env, DATABASE_URL: url } });
  if (seed) {
    const { seedDemoDirectory } = await import(pathToFileURL(join(root, 'dist/apps/gateway/src/database/seed.js')).href);
    await seedDemoDirectory(url);
  }
  return url;
}

/** Drops a bench's database; `BENCH_KEEP_DATABASE=1` keeps it (to read its table statistics after the run). */
export async function dropBenchDatabase(name: string): Promise<void> {
  if (process.env.BENCH_KEEP_DATABASE) {
    console.error(`kept the bench database ${name} (BENCH_KEEP_DATABASE)`);
    return;
  }
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}

export async function deleteStreams(namespace: string): Promise<void> {
  const names = jetStreamNames(namespace);
  const connection = await connect({ servers: NATS_URL });
  const manager = await jetstreamManager(connection);
  for (const stream of [names.commandStream, names.workerEventStream, names.runStatusStream, names.tenantEventStream, `OBJ_${names.importBucket}`]) {
    await manager.streams.delete(stream).catch(() => undefined);
  }
  await connection.close();
}

/** Peak resident memory (VmHWM) of a live process, in MiB. */
export function peakMemoryMiB(service: ServiceProcess): number {
  const status = readFileSync(`/proc/${service.process.pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Math.round(Number(match[1]) / 1024) : Number.NaN;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU seconds a live process has used so far (/proc/<pid>/stat fields 14 and 15); 0 once it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The Postgres backends connected to a bench database (the services' pools, once they are open). */
export async function databaseBackendPids(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
    return rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

/**
 * The cluster's WAL so far (`pg_stat_wal`, Postgres 14+): records, full-page images and bytes. Unlike CPU seconds it
 * does not drift with the host's speed, so a change to what the services write shows in one pair of runs. It counts
 * every database of the cluster: nothing else should write meanwhile.
 */
export async function walTotals(url: string): Promise<{ records: number; fullPageImages: number; bytes: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ records: string; fpi: string; bytes: string }>(`SELECT wal_records AS records, wal_fpi AS fpi, wal_bytes AS bytes FROM pg_stat_wal`);
    return { records: Number(rows[0].records), fullPageImages: Number(rows[0].fpi), bytes: Number(rows[0].bytes) };
  } finally {
    await client.end();
  }
}

/** The shared NATS server's pid (its CPU is every client's, so a figure from it is an upper bound); 0 if none. */
export function natsServerPid(): number {
  try {
    return Number(execFileSync('pgrep', ['-o', 'nats-server'], { encoding: 'utf8' }).trim().split('\n')[0]) || 0;
  } catch {
    return 0;
  }
}

/** The host's CPU time so far over all cores (/proc/stat, seconds): busy (not idle or iowait) and in all. */
export function hostCpuSeconds(): { busy: number; total: number } {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const ticks = fields.slice(0, 8).map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  return { busy: (total - ticks[3] - ticks[4]) / CLOCK_TICKS_PER_SECOND, total: total / CLOCK_TICKS_PER_SECOND };
}

/** Read and write system calls a live process has made so far (/proc/<pid>/io syscr + syscw); 0 once it is gone. */
export function processSyscalls(pid: number): number {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    return Number(/syscr: (\d+)/.exec(io)?.[1] ?? 0) + Number(/syscw: (\d+)/.exec(io)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** User + system CPU seconds a service's process has used so far. */
export function cpuSeconds(service: ServiceProcess): number {
  return processCpuSeconds(service.process.pid!);
}

export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

/** The end of every benchmark: services stopped, its NATS connection closed, its database and streams removed. */
export async function tearDownBench(resources: { services: ServiceProcess[]; connection?: { close(): Promise<void> }; database: string; namespace: string }): Promise<void> {
  await Promise.all(resources.services.map((service) => service.stop()));
  await resources.connection?.close();
  await dropBenchDatabase(resources.database);
  await deleteStreams(resources.namespace);
}

/** Runs a benchmark's main; a failure is printed and the process exits non-zero. */
export function runBench(main: () => Promise<void>): void {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

/**
 * Environment for the services a benchmark starts, for looking inside them: `BENCH_CPU_PROFILE_DIR=tmp/profiles`
 * preloads bench/support/cpu-profile.mjs, which writes one V8 CPU profile per service process at its exit.
 */
export function serviceProfiling(): Record<string, string> {
  const directory = process.env.BENCH_CPU_PROFILE_DIR;
  return {
    ...(directory
      ? { NODE_OPTIONS: `--import=${pathToFileURL(join(process.cwd(), 'bench/support/cpu-profile.mjs')).href}`, BENCH_CPU_PROFILE_DIR: join(process.cwd(), directory) }
      : {}),
  };
}

/**
 * The Node options the workers are deployed with (NODE_OPTIONS in docker-compose.yml, deploy/k8s/base/capture-worker.yaml
 * and restore-worker.yaml, tools/scripts/start.mjs): V8's heap limit, without which a worker's heap grows far past what
 * its runs use. `BENCH_WORKER_NODE_ARGUMENTS` replaces them (`""` for none).
 */
export function workerNodeArguments(): string[] {
  return (process.env.BENCH_WORKER_NODE_ARGUMENTS ?? '--max-old-space-size=192').split(' ').filter(Boolean);
}

/** The host's load averages (1, 5, 15 minutes): other work on the shared cores moves every figure. */
export function loadAverage(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}

/** User + system CPU seconds a service process has used so far (/proc/<pid>/stat fields 14 and 15, clock ticks of 10 ms). */
export function serviceCpuSeconds(service: ServiceProcess): number {
  const fields = readFileSync(`/proc/${service.process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

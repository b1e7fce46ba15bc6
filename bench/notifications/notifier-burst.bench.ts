// The notifier alone under a burst (issue 17, target 2). `npm run build && node dist/bench/notifications/notifier-burst.bench.js`
//
// BENCH_EVENTS (2,000) run transitions — a third each queued, running and partial (a partial run is routed to the
// tenant's channel subscriptions) — are on the run-status stream before the notifier starts; the figure is how long
// the notifier takes to turn them all into notifications, and its CPU per event (/proc). Nothing else runs meanwhile
// (run-service only creates the streams, then stops), so this is the notifier's own cost, unlike
// bench:notifications, where it shares the two cores with run-service, Postgres, NATS and the load generator.
// BENCH_SERVICES_ROOT=<checkout> runs another build's notifier (A/B in one sitting); RUN_STATUS_CONCURRENCY a variant.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { RunStatus, RunStatusEventKind, RunType, jetStreamNames, type RunStatusEvent } from '@policyvault/contracts';
import { startService, type ServiceProcess } from '@policyvault/testing';
import { NATS_URL, createBenchDatabase, deleteStreams, dropBenchDatabase, loadAverage, runBench, serviceCpuSeconds, serviceProfiling } from '../support/bench-environment.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 2000);
const SERVICES_ROOT = process.env.BENCH_SERVICES_ROOT;
const TENANT = '11111111-1111-4111-8111-111111111111';
const STATUSES = [RunStatus.Queued, RunStatus.Running, RunStatus.Partial];
const stamp = Date.now().toString(36);
const database = `pv_bench_notifier_burst_${stamp}`;
const namespace = `pvbench_${stamp}`;

function transition(index: number): RunStatusEvent {
  const runId = randomUUID();
  const status = STATUSES[index % STATUSES.length];
  return {
    eventId: `run:${runId}:status:${status}`,
    kind: RunStatusEventKind.Transition,
    runId,
    tenantId: TENANT,
    type: RunType.BackupSetCreate,
    status,
    cancelRequested: false,
    counts: { total: 5, succeeded: 4, failed: 1, skipped: 0 },
    initiator: { userId: '22222222-2222-4222-8222-222222222222', email: 'operator@contoso.test' },
    occurredAt: new Date().toISOString(),
  };
}

async function main() {
  const services: ServiceProcess[] = [];
  const connection = await connect({ servers: NATS_URL });
  const names = jetStreamNames(namespace);
  let db: pg.Client | undefined;
  try {
    const url = await createBenchDatabase(database, { seed: false });
    const env = { DATABASE_URL: url, NATS_URL, NATS_NAMESPACE: namespace, LOG_LEVEL: 'warn', ...serviceProfiling() };
    // run-service creates the streams at boot; it is stopped before the burst.
    await (await startService('run-service', env, { instance: 'run-service', root: SERVICES_ROOT })).stop();
    const js = jetstream(connection);
    await Promise.all(Array.from({ length: EVENTS }, (_, index) => js.publish(names.runStatusSubject(TENANT), JSON.stringify(transition(index)))));
    const onStream = (await (await jetstreamManager(connection)).streams.info(names.runStatusStream)).state.messages;
    const loadAtStart = loadAverage();
    const concurrency: Record<string, string> = process.env.RUN_STATUS_CONCURRENCY ? { RUN_STATUS_CONCURRENCY: process.env.RUN_STATUS_CONCURRENCY } : {};
    // The consumer starts with the service, before it reports ready: the clock starts at the spawn.
    const spawnedAt = Date.now();
    const notifier = await startService('notifier', { ...env, ...concurrency, BENCH_PROFILE_NAME: 'notifier' }, { instance: 'notifier', root: SERVICES_ROOT });
    services.push(notifier);
    const readyAt = Date.now();
    const cpuAtReady = serviceCpuSeconds(notifier);
    db = new pg.Client({ connectionString: url });
    await db.connect();
    const count = async () => Number((await db!.query('SELECT count(*)::int AS count FROM notifier.notifications')).rows[0].count);
    // The consumer may have begun before the service reported ready: those events are left out of the figures.
    const beforeReady = await count();
    let notified = beforeReady;
    while (notified < EVENTS) {
      notified = await count();
      if (notified < EVENTS) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const doneAt = Date.now();
    const cpuSeconds = serviceCpuSeconds(notifier) - cpuAtReady;
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      services: SERVICES_ROOT ?? 'this checkout',
      events: EVENTS,
      onStream,
      loadAverage: { start: loadAtStart, end: loadAverage() },
      notifiedBeforeReady: beforeReady,
      // From ready (start-up excluded) to the last notification, for the events left then; the CPU of that span per event.
      fromReadyMs: doneAt - readyAt,
      eventsPerSecond: Math.round((EVENTS - beforeReady) / ((doneAt - readyAt) / 1000)),
      cpuMsPerEvent: Math.round((cpuSeconds * 1000 * 1000) / (EVENTS - beforeReady)) / 1000,
      fromSpawnMs: doneAt - spawnedAt,
    };
    writeFileSync('bench/notifications/notifier-burst-last-run.json', `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await db?.end();
    await Promise.all(services.map((service) => service.stop()));
    await connection.close();
    await dropBenchDatabase(database);
    await deleteStreams(namespace);
  }
}

runBench(main);

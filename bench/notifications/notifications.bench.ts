// Notification lag benchmark (issue 6). `npm run build && node dist/bench/notifications/notifications.bench.js`
//
// 200 runs at once through the real pipeline: started over RunRpc.start (run-service process), driven by
// worker events (run-started, one item-finished per item, run-finished) exactly as workers publish them,
// so run-service commits each transition with its status event in the outbox, relays it to the
// run-status stream, and the notifier (its own process) stores the notification.
// Lag = notifications.created_at − occurred_at (the status event's clock_timestamp() inside run-service's
// transaction, just before its commit): transition committed → notification stored. Same host clock.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { firstValueFrom } from 'rxjs';
import { DEMO_TENANTS, RunRpc, RunType, WorkerEventSubjects, workerEventSubject, jetStreamNames, type StartRunReply } from '@policyvault/contracts';
import { NamespacedNatsClient } from '@policyvault/platform';
import { startService, type ServiceProcess } from '@policyvault/testing';
import { NATS_URL, createBenchDatabase, deleteStreams, dropBenchDatabase, loadAverage, peakMemoryMiB, percentile, serviceCpuSeconds, serviceProfiling } from '../support/bench-environment.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const NOTIFIER_REPLICAS = Number(process.env.BENCH_NOTIFIER_REPLICAS ?? 1);
const ITEMS_PER_RUN = Number(process.env.BENCH_ITEMS_PER_RUN ?? 5);
const WARM_UP_RUNS = 20;
/** `BENCH_SERVICES_ROOT=<checkout>`: run the services of another build (its dist/), e.g. the code before a change. */
const SERVICES_ROOT = process.env.BENCH_SERVICES_ROOT;
const stamp = Date.now().toString(36);
const database = `pv_bench_notify_${stamp}`;
const namespace = `pvbench_notify_${stamp}`;
const tenant = DEMO_TENANTS[0];
const names = jetStreamNames(namespace);

interface Driver {
  rpc: NamespacedNatsClient;
  publish(subject: string, event: object): Promise<void>;
}

/** When the load generator sent each start (epoch ms), by run id: the "queued" lag as a client sees it. */
const startSentAt = new Map<string, number>();

async function startRun(driver: Driver): Promise<string> {
  const sentAt = Date.now();
  const reply = await firstValueFrom(
    driver.rpc.send<StartRunReply>(RunRpc.start, {
      tenantId: tenant.id,
      tenantDirectoryId: tenant.directoryId,
      type: RunType.BackupSetCreate,
      target: { name: `bench ${randomUUID()}` },
      scope: {},
      initiator: { userId: randomUUID(), email: 'operator@contoso.test' },
    }),
  );
  startSentAt.set(reply.run.id, sentAt);
  return reply.run.id;
}

/** What a worker publishes for one run, in order: started, each item, finished (one item in 5 fails). */
async function driveRun(driver: Driver, runId: string): Promise<void> {
  const event = (extra: object) => ({ runId, tenantId: tenant.id, occurredAt: new Date().toISOString(), ...extra });
  await driver.publish(names.subject(workerEventSubject(WorkerEventSubjects.runStarted, 'capture-worker')), event({ plannedItems: ITEMS_PER_RUN }));
  for (let item = 0; item < ITEMS_PER_RUN; item += 1) {
    const failed = item === 4;
    await driver.publish(
      names.subject(workerEventSubject(WorkerEventSubjects.itemFinished, 'capture-worker')),
      event({ itemKey: `policy:${item}`, status: failed ? 'failed' : 'succeeded', ...(failed ? { error: { code: 'graph_throttled', message: 'Throttled.' } } : {}) }),
    );
  }
  await driver.publish(names.subject(workerEventSubject(WorkerEventSubjects.runFinished, 'capture-worker')), event({ outcome: 'completed', itemCount: ITEMS_PER_RUN }));
}

async function wave(driver: Driver, runs: number): Promise<string[]> {
  const ids = await Promise.all(Array.from({ length: runs }, () => startRun(driver)));
  await Promise.all(ids.map((id) => driveRun(driver, id)));
  return ids;
}

async function waitForNotifications(client: pg.Client, runIds: string[], expected: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query(`SELECT count(*)::int AS count FROM notifier.notifications WHERE run_id = ANY($1::uuid[])`, [runIds]);
    if (rows[0].count >= expected) return;
    if (Date.now() > deadline) throw new Error(`only ${rows[0].count} of ${expected} notifications after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** When the stream stored each transition's status event (its message id is the event id). */
async function streamStoredAt(eventIds: Set<string>): Promise<Map<string, number>> {
  const connection = await connect({ servers: NATS_URL });
  const manager = await jetstreamManager(connection);
  const { state } = await manager.streams.info(names.runStatusStream);
  const storedAt = new Map<string, number>();
  for (let first = state.first_seq; first <= state.last_seq; first += 200) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(200, state.last_seq - first + 1) }, (_, index) =>
        manager.streams.getMessage(names.runStatusStream, { seq: first + index }).catch(() => null),
      ),
    );
    for (const message of batch) {
      const eventId = message?.json<{ eventId: string }>().eventId;
      if (message && eventId && eventIds.has(eventId)) storedAt.set(eventId, message.time.getTime());
    }
  }
  await connection.close();
  return storedAt;
}

function summary(lags: number[]) {
  const sorted = [...lags].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return { samples: sorted.length, p50: round(percentile(sorted, 0.5)), p90: round(percentile(sorted, 0.9)), p95: round(percentile(sorted, 0.95)), p99: round(percentile(sorted, 0.99)), max: round(sorted[sorted.length - 1]) };
}

async function main() {
  const services: ServiceProcess[] = [];
  const connection = await connect({ servers: NATS_URL });
  const js = jetstream(connection);
  const rpc = new NamespacedNatsClient(namespace, { servers: NATS_URL, timeout: 30_000 });
  let dbClient: pg.Client | undefined;
  try {
    const url = await createBenchDatabase(database, { seed: false });
    const env = {
      DATABASE_URL: url,
      NATS_URL,
      NATS_NAMESPACE: namespace,
      LOG_LEVEL: 'warn',
      ...serviceProfiling(),
      // A variant of the notifier's consumer concurrency, to compare in the same session.
      ...(process.env.RUN_STATUS_CONCURRENCY ? { RUN_STATUS_CONCURRENCY: process.env.RUN_STATUS_CONCURRENCY } : {}),
    };
    services.push(await startService('run-service', { ...env, BENCH_PROFILE_NAME: 'run-service' }, { instance: 'run-service', root: SERVICES_ROOT }));
    // BENCH_NOTIFIER_REPLICAS (1): notifier processes sharing the durable consumer, as a deployment scales it out.
    for (let replica = 1; replica <= NOTIFIER_REPLICAS; replica += 1) {
      const instance = NOTIFIER_REPLICAS === 1 ? 'notifier' : `notifier-${replica}`;
      services.push(await startService('notifier', { ...env, BENCH_PROFILE_NAME: instance }, { instance, root: SERVICES_ROOT }));
    }
    await rpc.connect();
    const driver: Driver = { rpc, publish: async (subject, event) => void (await js.publish(subject, JSON.stringify(event))) };
    dbClient = new pg.Client({ connectionString: url });
    await dbClient.connect();

    const warmUp = await wave(driver, WARM_UP_RUNS); // JIT, pools, consumers
    await waitForNotifications(dbClient, warmUp, WARM_UP_RUNS * 3);

    const loadAtStart = loadAverage();
    const cpuBefore = services.map(serviceCpuSeconds);
    const started = Date.now();
    const runIds = await wave(driver, RUNS);
    await waitForNotifications(dbClient, runIds, RUNS * 3);
    const wallSeconds = (Date.now() - started) / 1000;
    const loadAtEnd = loadAverage();
    // CPU each process spent on the wave, per transition: unlike the lags, barely moved by other work on the host.
    // With several notifier replicas (instances notifier-1, notifier-2, …): each, and their sum as `notifier`.
    const round2 = (value: number) => Math.round(value * 100) / 100;
    const cpuMs = services.map((service, index) => [service.name, ((serviceCpuSeconds(service) - cpuBefore[index]) * 1000) / (RUNS * 3)] as const);
    const notifierMs = cpuMs.filter(([name]) => name.startsWith('notifier')).reduce((sum, [, ms]) => sum + ms, 0);
    const cpuMsPerTransition = Object.fromEntries([...cpuMs.map(([name, ms]) => [name, round2(ms)]), ['notifier', round2(notifierMs)]]);

    const { rows } = await dbClient.query<{ run_id: string; status: string; event_id: string; tx: string; lag_ms: number; occurred_ms: number; created_ms: number }>(
      `SELECT run_id::text, status, event_id, xmin::text AS tx, (extract(epoch FROM created_at - occurred_at) * 1000)::float8 AS lag_ms,
              (extract(epoch FROM occurred_at) * 1000)::float8 AS occurred_ms, (extract(epoch FROM created_at) * 1000)::float8 AS created_ms
       FROM notifier.notifications WHERE run_id = ANY($1::uuid[])`,
      [runIds],
    );
    const storedAt = await streamStoredAt(new Set(rows.map((row) => row.event_id)));
    const onStream = rows.filter((row) => storedAt.has(row.event_id));
    const duplicates = await dbClient.query(`SELECT count(*)::int AS count FROM notifier.notifications GROUP BY run_id, status HAVING count(*) > 1`);
    // Each transition's lag, and its two halves (run-service's relay, then the notifier).
    const byStatus = Object.fromEntries(
      [...new Set(rows.map((row) => row.status))].sort().map((status) => {
        const ofStatus = onStream.filter((row) => row.status === status);
        return [
          status,
          {
            ...summary(rows.filter((row) => row.status === status).map((row) => row.lag_ms)),
            commitToStreamP50: summary(ofStatus.map((row) => storedAt.get(row.event_id)! - row.occurred_ms)).p50,
            commitToStreamP99: summary(ofStatus.map((row) => storedAt.get(row.event_id)! - row.occurred_ms)).p99,
            streamToNotificationP50: summary(ofStatus.map((row) => row.created_ms - storedAt.get(row.event_id)!)).p50,
            streamToNotificationP99: summary(ofStatus.map((row) => row.created_ms - storedAt.get(row.event_id)!)).p99,
          },
        ];
      }),
    );
    // The wave's timeline (ms after the first commit): when each transition's commits, stream stores and notifications happened.
    const firstCommit = Math.min(...rows.map((row) => row.occurred_ms));
    const spans = (values: number[]) => ({ first: Math.round(Math.min(...values) - firstCommit), p50: Math.round(percentile([...values].sort((a, b) => a - b), 0.5) - firstCommit), last: Math.round(Math.max(...values) - firstCommit) });
    const timeline = Object.fromEntries(
      [...new Set(rows.map((row) => row.status))].sort().map((status) => {
        const ofStatus = onStream.filter((row) => row.status === status);
        return [status, { committed: spans(ofStatus.map((row) => row.occurred_ms)), onStream: spans(ofStatus.map((row) => storedAt.get(row.event_id)!)), notified: spans(ofStatus.map((row) => row.created_ms)) }];
      }),
    );
    // Rows written by one INSERT share its transaction id: the notifier's batches.
    const rowsPerTransaction = new Map<string, number>();
    for (const row of rows) rowsPerTransaction.set(row.tx, (rowsPerTransaction.get(row.tx) ?? 0) + 1);
    const batchSizes = [...rowsPerTransaction.values()];
    // The notifier's first inserts (the queued burst): when each began, its rows, and when the first and last of them reached the stream.
    const insertsOfTheBurst = [...new Set(rows.map((row) => row.tx))]
      .map((tx) => {
        const ofInsert = onStream.filter((row) => row.tx === tx);
        const stored = ofInsert.map((row) => storedAt.get(row.event_id)! - firstCommit);
        return { at: Math.round(ofInsert[0]?.created_ms - firstCommit), rows: ofInsert.length, onStreamFirst: Math.round(Math.min(...stored)), onStreamLast: Math.round(Math.max(...stored)) };
      })
      .sort((a, b) => a.at - b.at)
      .slice(0, 30);
    // When the load generator reported what each notification announces (same host clock): the start sent ("queued"),
    // the run-started event ("running": the run's started_at is that event's occurredAt, stamped just before it was
    // published), the run-finished event (the end: finished_at). Whatever clock the status event carries and however
    // run-service batches, this is the lag a user sees from what happened to its notification.
    const reportedAt = new Map<string, { started: number; finished: number }>();
    let runsWhoseEndWaitedForItems = 0;
    for (const run of (
      await dbClient.query<{ id: string; started_ms: number; finished_ms: number; waited: boolean }>(
        `SELECT id::text, (extract(epoch FROM started_at) * 1000)::float8 AS started_ms, (extract(epoch FROM finished_at) * 1000)::float8 AS finished_ms,
                finish_reported_at IS NOT NULL AS waited
         FROM run_service.runs WHERE id = ANY($1::uuid[])`,
        [runIds],
      )
    ).rows) {
      reportedAt.set(run.id, { started: run.started_ms, finished: run.finished_ms });
      if (run.waited) runsWhoseEndWaitedForItems += 1;
    }
    const reportedToNotification = (row: (typeof rows)[number]) =>
      row.created_ms - (row.status === 'queued' ? startSentAt.get(row.run_id)! : row.status === 'running' ? reportedAt.get(row.run_id)!.started : reportedAt.get(row.run_id)!.finished);
    const reportedToNotificationByStatus = Object.fromEntries(
      [...new Set(rows.map((row) => row.status))].sort().map((status) => [status, summary(rows.filter((row) => row.status === status).map(reportedToNotification))]),
    );
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      services: SERVICES_ROOT ?? 'this checkout',
      concurrentRuns: RUNS,
      notifierReplicas: NOTIFIER_REPLICAS,
      itemsPerRun: ITEMS_PER_RUN,
      // Progress events go to their own subject, outside the notifier's filter.
      statusEvents: { transitions: RUNS * 3, progress: RUNS * ITEMS_PER_RUN },
      wallSeconds,
      loadAverage: { start: loadAtStart, end: loadAtEnd },
      // run-service: a run's start, its 7 worker events and their relay, spread over its 3 transitions; notifier: one event each.
      cpuMsPerTransition,
      commitToNotificationMs: summary(rows.map((row) => row.lag_ms)),
      // From the moment the load generator sent each start (before run-service's batch and statement) to its "queued"
      // notification: the queued lag a client sees, whichever clock the event carries.
      startSentToQueuedNotificationMs: summary(rows.filter((row) => row.status === 'queued').map((row) => row.created_ms - startSentAt.get(row.run_id)!)),
      // Its first part: from the start sent to the "queued" event's clock (the run's queued_at, since 2026-12-02).
      startSentToQueuedEventClockMs: summary(rows.filter((row) => row.status === 'queued').map((row) => row.occurred_ms - startSentAt.get(row.run_id)!)),
      // From what the load generator reported (a start, a run-started or run-finished event) to its notification.
      reportedToNotificationMs: { all: summary(rows.map(reportedToNotification)), ...reportedToNotificationByStatus },
      // Runs whose run-finished event found items missing and was retried with nak delays (runs.finish_reported_at).
      runsWhoseEndWaitedForItems,
      byTransition: byStatus,
      timelineMs: timeline,
      // The timeline's origin (the first commit), to line it up with other recordings of the same run.
      timelineOriginEpochMs: Math.round(firstCommit),
      // The two halves (the stream's store time has millisecond resolution): run-service's outbox relay,
      // then the notifier (delivery, validation, insert).
      commitToStreamMs: summary(onStream.map((row) => storedAt.get(row.event_id)! - row.occurred_ms)),
      streamToNotificationMs: summary(onStream.map((row) => row.created_ms - storedAt.get(row.event_id)!)),
      insertBatches: { count: batchSizes.length, ...summary(batchSizes) },
      insertsOfTheBurst,
      duplicateNotifications: duplicates.rowCount,
      peakMemoryMiB: Object.fromEntries(services.map((service) => [service.name, peakMemoryMiB(service)])),
    };
    writeFileSync('bench/notifications/last-run.json', `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await dbClient?.end().catch(() => undefined);
    await rpc.close().catch(() => undefined);
    await connection.close();
    await Promise.all(services.map((service) => service.stop()));
    await dropBenchDatabase(database);
    await deleteStreams(namespace);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

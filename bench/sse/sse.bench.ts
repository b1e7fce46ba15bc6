// SSE delivery lag benchmark (live progress). `npm run build && node dist/bench/sse/sse.bench.js`
//
// gateway and run-service as processes, own database and NATS namespace. BENCH_CLIENTS (100) clients
// hold the tenant's live view open (GET …/runs/events; the gateway serves them all from its one shared
// ordered JetStream consumer, fanned out in memory); then BENCH_RUNS (200) runs are started at once
// through the gateway and driven with worker events (run-started, BENCH_ITEMS_PER_RUN item-finished,
// run-finished) published to the worker-event stream as a worker does. run-service turns them into
// transitions and progress events on the run-status stream, and the gateway fans each out to every
// client.
// Lag = when the client read the event − when JetStream stored it (the message timestamp of its `id:`
// sequence): stream → gateway's shared consumer → fan-out → SSE write → client socket. Same host clock.
// The notifier runs too (BENCH_WITH_NOTIFIER=0 leaves it out), so one run measures issue 17's target 2 as stated:
// notification lag (notifications.created_at − the transition's commit clock, as bench:notifications measures it)
// and SSE lag, under 200 concurrent runs with 100 clients.
// The clients read on event loops of their own (BENCH_CLIENT_THREADS worker threads, 2: `sse-clients.ts`), not on the
// one that drives the runs; BENCH_CLIENTS_ON=harness reads them on the harness's loop, as before 2026-12-03, to compare.
// The report gives each loop's delay (harness, clients, gateway) and the lag in 250-ms slices of the wave.
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { DEMO_TENANTS, jetStreamNames, type RunStatusEvent } from '@policyvault/contracts';
import { signDevelopmentToken } from '@policyvault/platform';
import { startService, type ServiceProcess } from '@policyvault/testing';
import { wave, type RunDriver } from '../support/run-driver.js';
import { LocalSseClients, SplitSseClients, ThreadSseClients, type SseClients } from './sse-clients.js';
import { NATS_URL, databaseUrl, createBenchDatabase, runBench, tearDownBench, peakMemoryMiB, percentile, serviceProfiling } from '../support/bench-environment.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const ITEMS_PER_RUN = Number(process.env.BENCH_ITEMS_PER_RUN ?? 5);
const WARM_UP_RUNS = 20;
/** `thread` (default): the clients read on a worker thread's loop; `harness`: on the loop that drives the runs. */
const CLIENTS_ON = process.env.BENCH_CLIENTS_ON ?? 'thread';
/**
 * Worker threads the clients are spread over (BENCH_CLIENTS_ON=thread). Two: one thread holding all 100 clients' events
 * (~110,000 per wave) paused up to ~245 ms for its own garbage collection, a stall inside every lag it measured.
 */
const CLIENT_THREADS = Number(process.env.BENCH_CLIENT_THREADS ?? 2);
const WITH_NOTIFIER = process.env.BENCH_WITH_NOTIFIER !== '0';
/** `BENCH_SERVICES_ROOT=<checkout>`: run the services of another build (its dist/), e.g. the code before a change. */
const SERVICES_ROOT = process.env.BENCH_SERVICES_ROOT;
const SIGNING_KEY = 'sse-benchmark-signing-key-0123456789abcdefghij';
const stamp = Date.now().toString(36);
const database = `pv_bench_sse_${stamp}`;
const namespace = `pvbench_sse_${stamp}`;
const tenant = DEMO_TENANTS[0];
const names = jetStreamNames(namespace);

/**
 * Each transition's notification lag (created_at − the status event's clock), once all `expected` of the runs'
 * notifications are stored.
 */
async function notificationLags(runIds: string[], expected: number, timeoutMs = 120_000): Promise<number[]> {
  const client = new pg.Client({ connectionString: databaseUrl(database) });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ lag_ms: number }>(
        `SELECT (extract(epoch FROM created_at - occurred_at) * 1000)::float8 AS lag_ms FROM notifier.notifications WHERE run_id = ANY($1::uuid[])`,
        [runIds],
      );
      if (rows.length >= expected) return rows.map((row) => row.lag_ms);
      if (Date.now() > deadline) throw new Error(`only ${rows.length} of ${expected} notifications after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await client.end();
  }
}

/**
 * The gateway's event-loop delay since the previous call (prom-client's default metrics on /metrics: the histogram is
 * reset at each scrape), in ms: the first call only resets it.
 */
async function gatewayLoopDelay(gatewayUrl: string): Promise<{ p50Ms: number; p99Ms: number; maxMs: number }> {
  const text = await (await fetch(`${gatewayUrl}/metrics`)).text();
  const seconds = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text)?.[1] ?? NaN);
  const ms = (name: string) => Math.round(seconds(name) * 10_000) / 10;
  return { p50Ms: ms('nodejs_eventloop_lag_p50_seconds'), p99Ms: ms('nodejs_eventloop_lag_p99_seconds'), maxMs: ms('nodejs_eventloop_lag_max_seconds') };
}

/** When JetStream stored each sequence. */
async function storedAt(manager: JetStreamManager, sequences: number[]): Promise<Map<number, { at: number; occurredAt: number }>> {
  const result = new Map<number, { at: number; occurredAt: number }>();
  const unique = [...new Set(sequences)];
  for (let start = 0; start < unique.length; start += 200) {
    const batch = await Promise.all(unique.slice(start, start + 200).map((seq) => manager.streams.getMessage(names.runStatusStream, { seq })));
    for (const message of batch) {
      if (message) result.set(message.seq, { at: message.time.getTime(), occurredAt: Date.parse(message.json<RunStatusEvent>().occurredAt) });
    }
  }
  return result;
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (fraction: number) => Math.round(percentile(sorted, fraction) * 10) / 10;
  return { samples: sorted.length, p50: at(0.5), p90: at(0.9), p95: at(0.95), p99: at(0.99), max: Math.round(sorted[sorted.length - 1] * 10) / 10 };
}

async function main() {
  const services: ServiceProcess[] = [];
  let clients: SseClients | undefined;
  const connection = await connect({ servers: NATS_URL });
  const js = jetstream(connection);
  const manager = await jetstreamManager(connection);
  try {
    const url = await createBenchDatabase(database);
    // BENCH_CLIENTS streams of one reader: the per-user stream cap is raised to fit them.
    const env = { DATABASE_URL: url, NATS_URL, NATS_NAMESPACE: namespace, LOG_LEVEL: 'warn', AUTH_MODE: 'development', AUTH_DEV_SIGNING_KEY: SIGNING_KEY, SSE_MAX_STREAMS_PER_USER: String(CLIENTS), ...serviceProfiling() };
    services.push(await startService('run-service', { ...env, BENCH_PROFILE_NAME: 'run-service' }, { instance: 'run-service', root: SERVICES_ROOT }));
    if (WITH_NOTIFIER) services.push(await startService('notifier', { ...env, BENCH_PROFILE_NAME: 'notifier' }, { instance: 'notifier', root: SERVICES_ROOT }));
    const gateway = await startService('gateway', { ...env, BENCH_PROFILE_NAME: 'gateway' }, { instance: 'gateway', root: SERVICES_ROOT });
    services.push(gateway);
    const driver: RunDriver = {
      gatewayUrl: gateway.url,
      token: await signDevelopmentToken({ email: 'operator@contoso.test', signingKey: SIGNING_KEY }),
      tenantId: tenant.id,
      names,
      publish: async (subject, event) => void (await js.publish(subject, JSON.stringify(event))),
    };
    const readerToken = await signDevelopmentToken({ email: 'reader@contoso.test', signingKey: SIGNING_KEY });
    if (CLIENTS_ON !== 'thread' && CLIENTS_ON !== 'harness') throw new Error(`BENCH_CLIENTS_ON is thread or harness, not ${CLIENTS_ON}`);
    const setup = { url: `${gateway.url}/api/tenants/${tenant.id}/runs/events`, token: readerToken, clients: CLIENTS };
    clients =
      CLIENTS_ON === 'harness'
        ? await LocalSseClients.open(setup)
        : new SplitSseClients(
            await Promise.all(
              Array.from({ length: CLIENT_THREADS }, (_, index) =>
                ThreadSseClients.open({ ...setup, clients: Math.floor(CLIENTS / CLIENT_THREADS) + (index < CLIENTS % CLIENT_THREADS ? 1 : 0) }),
              ),
            ),
          );

    const warmUp = await wave(driver, WARM_UP_RUNS, ITEMS_PER_RUN); // JIT, pools, consumers
    await clients.awaitEnds([...warmUp], 180_000);

    // The loop that drives the runs; with BENCH_CLIENTS_ON=harness it also reads the sockets, and its delays are
    // inside every measured lag.
    const harnessLoopDelay = monitorEventLoopDelay({ resolution: 5 });
    harnessLoopDelay.enable();
    const harnessUtilizationAtStart = performance.eventLoopUtilization();
    const loadAtStart = loadavg();
    await clients.startMeasure();
    await gatewayLoopDelay(gateway.url);
    const started = Date.now();
    const runIds = await wave(driver, RUNS, ITEMS_PER_RUN);
    await clients.awaitEnds([...runIds], 180_000);
    const wallSeconds = (Date.now() - started) / 1000;
    const loadAtEnd = loadavg();
    harnessLoopDelay.disable();
    const harnessEventLoop = {
      delayP50Ms: Number((harnessLoopDelay.percentile(50) / 1e6).toFixed(1)),
      delayP99Ms: Number((harnessLoopDelay.percentile(99) / 1e6).toFixed(1)),
      delayMaxMs: Number((harnessLoopDelay.max / 1e6).toFixed(1)),
      utilization: Number(performance.eventLoopUtilization(harnessUtilizationAtStart).utilization.toFixed(2)),
    };
    // Every consumer on the run-status stream while the clients are connected (the gateway's shared one).
    const runStatusConsumers = (await manager.consumers.list(names.runStatusStream).next()).length;

    const gatewayEventLoop = await gatewayLoopDelay(gateway.url);
    const { deliveries: received, clientsLoop } = await clients.report([...runIds]);
    // Every run succeeds: queued, running, succeeded, each notified to its initiator.
    const notificationLagsMs = WITH_NOTIFIER ? await notificationLags([...runIds], runIds.size * 3) : [];
    const stored = await storedAt(manager, received.map((event) => event.seq));
    const lags = received.map((event) => ({ ...event, lag: event.receivedAt - stored.get(event.seq)!.at }));
    // The wave in 250-ms slices of when the stream stored the events: where in the wave the tail is.
    const firstStored = Math.min(...[...stored.values()].map((entry) => entry.at));
    const slices = new Map<number, number[]>();
    for (const { seq, lag } of lags) {
      const slice = Math.floor((stored.get(seq)!.at - firstStored) / 250) * 250;
      slices.set(slice, [...(slices.get(slice) ?? []), lag]);
    }
    const lagBySlice = [...slices.entries()].sort(([a], [b]) => a - b).map(([fromMs, values]) => ({ fromMs, ...summary(values) }));
    const perClientP99 = Array.from({ length: CLIENTS }, (_, index) => summary(lags.filter((lag) => lag.clientIndex === index).map((lag) => lag.lag)).p99).sort((a, b) => a - b);
    const eventsOnStream = new Set(received.map((event) => event.seq));
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      services: SERVICES_ROOT ?? 'this checkout',
      clients: CLIENTS,
      concurrentRuns: RUNS,
      itemsPerRun: ITEMS_PER_RUN,
      statusEventsOnStream: eventsOnStream.size,
      deliveries: lags.length,
      wallSeconds,
      // 1-, 5- and 15-minute load averages of the host (2 cores, shared with other test suites).
      loadAverage: { atStart: loadAtStart.map((value) => Number(value.toFixed(2))), atEnd: loadAtEnd.map((value) => Number(value.toFixed(2))) },
      runStatusConsumers,
      clientsOn: CLIENTS_ON === 'thread' ? `${CLIENT_THREADS} thread(s)` : CLIENTS_ON,
      harnessEventLoop,
      // The loop that read the sockets (the harness's own with BENCH_CLIENTS_ON=harness).
      clientsEventLoop: clientsLoop,
      // The gateway's (prom-client's monitor, 10 ms resolution) over the wave.
      gatewayEventLoop,
      withNotifier: WITH_NOTIFIER,
      storedToClientMs: summary(lags.map((lag) => lag.lag)),
      transitionsStoredToClientMs: summary(lags.filter((lag) => lag.kind === 'transition').map((lag) => lag.lag)),
      progressStoredToClientMs: summary(lags.filter((lag) => lag.kind === 'progress').map((lag) => lag.lag)),
      storedToClientBy250MsOfTheWave: lagBySlice.map(({ fromMs, samples, p50, p99, max }) => ({ fromMs, samples, p50, p99, max })),
      perClientP99Ms: { best: perClientP99[0], median: percentile(perClientP99, 0.5), worst: perClientP99[perClientP99.length - 1] },
      // The transition's commit (its status event's clock) → its notification stored, in the same wave.
      ...(WITH_NOTIFIER ? { commitToNotificationMs: summary(notificationLagsMs) } : {}),
      // Context, not part of the target: run-service's commit (clock_timestamp in the event) → stored on the stream.
      commitToStreamMs: summary([...eventsOnStream].map((seq) => stored.get(seq)!.at - stored.get(seq)!.occurredAt)),
      peakMemoryMiB: Object.fromEntries(services.map((service) => [service.name, peakMemoryMiB(service)])),
    };
    writeFileSync('bench/sse/last-run.json', `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await clients?.close();
    await tearDownBench({ services, connection, database, namespace });
  }
}

runBench(main);

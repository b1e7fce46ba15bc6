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
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { DEMO_TENANTS, jetStreamNames, type RunStatusEvent } from '@policyvault/contracts';
import { signDevelopmentToken } from '@policyvault/platform';
import { openSse, startService, type SseConnection, type ServiceProcess } from '@policyvault/testing';
import { wave, type RunDriver } from '../support/run-driver.js';
import { NATS_URL, createBenchDatabase, runBench, tearDownBench, peakMemoryMiB, percentile, serviceProfiling } from '../support/bench-environment.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const ITEMS_PER_RUN = Number(process.env.BENCH_ITEMS_PER_RUN ?? 5);
const WARM_UP_RUNS = 20;
/** `BENCH_SERVICES_ROOT=<checkout>`: run the services of another build (its dist/), e.g. the code before a change. */
const SERVICES_ROOT = process.env.BENCH_SERVICES_ROOT;
const SIGNING_KEY = 'sse-benchmark-signing-key-0123456789abcdefghij';
const stamp = Date.now().toString(36);
const database = `pv_bench_sse_${stamp}`;
const namespace = `pvbench_sse_${stamp}`;
const tenant = DEMO_TENANTS[0];
const names = jetStreamNames(namespace);

/** Counts, per client, the terminal events of `runIds` received so far; reads each event once (the harness shares the cores). */
function terminalCounter(runIds: Set<string>) {
  const progress = new Map<SseConnection, { read: number; ended: number }>();
  return (client: SseConnection): number => {
    const state = progress.get(client) ?? { read: 0, ended: 0 };
    for (; state.read < client.events.length; state.read += 1) {
      const { event, data } = client.events[state.read];
      if (event === 'run-status' && data.includes('"status":"succeeded"') && runIds.has((JSON.parse(data) as RunStatusEvent).runId)) state.ended += 1;
    }
    progress.set(client, state);
    return state.ended;
  };
}

async function untilEveryClientHasEveryEnd(clients: SseConnection[], runIds: Set<string>, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const endsSeen = terminalCounter(runIds);
  for (;;) {
    const behind = clients.filter((client) => endsSeen(client) < runIds.size);
    if (behind.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${behind.length} clients still missing terminal events after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
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
  return { samples: sorted.length, p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] };
}

async function main() {
  const services: ServiceProcess[] = [];
  const clients: SseConnection[] = [];
  const connection = await connect({ servers: NATS_URL });
  const js = jetstream(connection);
  const manager = await jetstreamManager(connection);
  try {
    const url = await createBenchDatabase(database);
    // BENCH_CLIENTS streams of one reader: the per-user stream cap is raised to fit them.
    const env = { DATABASE_URL: url, NATS_URL, NATS_NAMESPACE: namespace, LOG_LEVEL: 'warn', AUTH_MODE: 'development', AUTH_DEV_SIGNING_KEY: SIGNING_KEY, SSE_MAX_STREAMS_PER_USER: String(CLIENTS), ...serviceProfiling() };
    services.push(await startService('run-service', { ...env, BENCH_PROFILE_NAME: 'run-service' }, { instance: 'run-service', root: SERVICES_ROOT }));
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
    for (let index = 0; index < CLIENTS; index += 1) {
      clients.push(await openSse(`${gateway.url}/api/tenants/${tenant.id}/runs/events`, { token: readerToken }));
    }
    await Promise.all(clients.map((client) => client.waitFor((events) => events.length >= 1, 30_000, 'the snapshot')));

    const warmUp = await wave(driver, WARM_UP_RUNS, ITEMS_PER_RUN); // JIT, pools, consumers
    await untilEveryClientHasEveryEnd(clients, warmUp);

    // The harness reads all clients' sockets on the event loop that also drives the runs: its delays
    // are part of every measured lag, so they are reported with it.
    const harnessLoopDelay = monitorEventLoopDelay({ resolution: 5 });
    harnessLoopDelay.enable();
    const harnessUtilizationAtStart = performance.eventLoopUtilization();
    const loadAtStart = loadavg();
    const started = Date.now();
    const runIds = await wave(driver, RUNS, ITEMS_PER_RUN);
    await untilEveryClientHasEveryEnd(clients, runIds);
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

    const received = clients.flatMap((client, clientIndex) =>
      client.events
        .filter((event) => event.event === 'run-status')
        .map((event) => ({ clientIndex, seq: Number(event.id), receivedAt: event.receivedAt, event: JSON.parse(event.data) as RunStatusEvent }))
        .filter(({ event }) => runIds.has(event.runId)),
    );
    const stored = await storedAt(manager, received.map((event) => event.seq));
    const lags = received.map((event) => ({ ...event, lag: event.receivedAt - stored.get(event.seq)!.at }));
    const perClientP99 = clients.map((_, index) => summary(lags.filter((lag) => lag.clientIndex === index).map((lag) => lag.lag)).p99).sort((a, b) => a - b);
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
      harnessEventLoop,
      storedToClientMs: summary(lags.map((lag) => lag.lag)),
      transitionsStoredToClientMs: summary(lags.filter((lag) => lag.event.kind === 'transition').map((lag) => lag.lag)),
      progressStoredToClientMs: summary(lags.filter((lag) => lag.event.kind === 'progress').map((lag) => lag.lag)),
      perClientP99Ms: { best: perClientP99[0], median: percentile(perClientP99, 0.5), worst: perClientP99[perClientP99.length - 1] },
      // Context, not part of the target: run-service's commit (clock_timestamp in the event) → stored on the stream.
      commitToStreamMs: summary([...eventsOnStream].map((seq) => stored.get(seq)!.at - stored.get(seq)!.occurredAt)),
      peakMemoryMiB: Object.fromEntries(services.map((service) => [service.name, peakMemoryMiB(service)])),
    };
    writeFileSync('bench/sse/last-run.json', `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
  } finally {
    for (const client of clients) client.close();
    await tearDownBench({ services, connection, database, namespace });
  }
}

runBench(main);

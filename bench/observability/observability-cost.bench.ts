// The cost of observability on the start path (issue 16). `npm run bench:observability`
//
// The start-path load (bench/support/start-path-load.ts: 64 connections, distinct starts through the gateway to
// two run-service replicas) against the same services with each configuration below, in one run: rounds in
// ABBA order (A B, then B A, …) so a machine that gets busier or a runs table that grows weighs on both alike,
// after one discarded segment (cold caches).
// Per segment: starts/s, latency, and the CPU time the three processes spent per measured start (/proc, user +
// system, read after the warm-up):
// CPU per start is the steadier measure on a shared machine. A configuration is a set of environment variables.
// Traced configurations export every span (protobuf) to a sink in this process (tracing-cost.ts); each of their
// segments also reports what was exported and any span the SDK dropped. `BENCH_RATE=150` holds every segment to
// the same rate of starts (written to last-run-rate-150.json): CPU per start then compares the same work.
import { mkdirSync, writeFileSync } from 'node:fs';
import { LATENCY_BUCKETS, LOCAL_DEVELOPMENT_SIGNING_KEY, configureMetrics, counter, histogram, signDevelopmentToken } from '@policyvault/platform';
import { startService, type ServiceProcess } from '@policyvault/testing';
import { NATS_URL, cpuSeconds, createBenchDatabase, tearDownBench } from '../support/bench-environment.js';
import { loadStartPath } from '../support/start-path-load.js';
import { exportCounter, spanCost, startTracingSink, tracingEnv, type ExportFigures } from './tracing-cost.js';

const sink = await startTracingSink();
const CONFIGURATIONS: { name: string; env: Record<string, string> }[] = [
  { name: 'metrics on', env: { METRICS_ENABLED: 'true' } },
  { name: 'metrics off', env: { METRICS_ENABLED: 'false' } },
  { name: 'tracing on', env: { METRICS_ENABLED: 'false', ...tracingEnv(sink) } },
  { name: 'metrics and tracing on', env: { METRICS_ENABLED: 'true', ...tracingEnv(sink) } },
];
const traced = (configuration: (typeof CONFIGURATIONS)[number]) => 'OTEL_EXPORTER_OTLP_ENDPOINT' in configuration.env;
const BASELINE = 'metrics off';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
/** BENCH_RATE: a fixed rate of starts per second (the same work for every configuration); unset, as fast as they go. */
const RATE = process.env.BENCH_RATE ? Number(process.env.BENCH_RATE) : undefined;
const stamp = Date.now().toString(36);
const database = `pv_bench_observability_${stamp}`;
const namespace = `pvbench_obs_${stamp}`;

interface Segment {
  configuration: string;
  round: number;
  startsPerSecond: number;
  totalStarts: number;
  non2xx: number;
  errors: number;
  latencyMs: { p50: number; p99: number };
  cpuMillisecondsPerStart: number;
  /** Only with metrics on: one scrape of the gateway and of a run-service replica after the load. */
  scrape?: { gatewayMs: number; gatewayBytes: number; runServiceMs: number; runServiceBytes: number };
  /** Only with tracing on: what the three services exported in the segment (warm-up included). */
  traces?: ExportFigures;
}

async function timedScrape(url: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(`${url}/metrics`);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${url}/metrics answered ${response.status}`);
  return { ms: Number((performance.now() - started).toFixed(1)), bytes: text.length };
}

async function measure(url: string, configuration: (typeof CONFIGURATIONS)[number], round: number, token: string): Promise<Segment> {
  // One user and one tenant at a thousand starts a second: the gateway's rate limits are raised (still counted), as in bench:start-path.
  const rateLimits = { RATE_LIMIT_USER_REQUESTS: '100000000', RATE_LIMIT_TENANT_REQUESTS: '100000000' };
  const env = { DATABASE_URL: url, NATS_URL, NATS_NAMESPACE: namespace, LOG_LEVEL: 'warn', AUTH_MODE: 'development', AUTH_DEV_SIGNING_KEY: LOCAL_DEVELOPMENT_SIGNING_KEY, ...rateLimits, ...configuration.env };
  const services: ServiceProcess[] = [];
  const exported = await exportCounter(sink, url);
  let segment: Segment;
  try {
    services.push(await startService('run-service', env, { instance: 'run-service-1' }));
    services.push(await startService('run-service', env, { instance: 'run-service-2' }));
    const gateway = await startService('gateway', env, { instance: 'gateway' });
    services.push(gateway);
    let cpuBefore = 0;
    const result = await loadStartPath(gateway.url, token, {
      connections: CONNECTIONS,
      durationSeconds: DURATION_SECONDS,
      overallRate: RATE,
      beforeMeasure: () => {
        cpuBefore = services.reduce((sum, service) => sum + cpuSeconds(service), 0);
      },
    });
    const cpu = services.reduce((sum, service) => sum + cpuSeconds(service), 0) - cpuBefore;
    // A refused request (a 429) costs a fraction of a start: segments with refusals compare nothing.
    if (result.non2xx > 0) throw new Error(`${configuration.name}: ${result.non2xx} of ${result.requests.total} starts were not accepted`);
    segment = {
      configuration: configuration.name,
      round,
      startsPerSecond: Math.round(result.requests.average),
      totalStarts: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
      cpuMillisecondsPerStart: Number(((cpu * 1000) / Math.max(1, result.requests.total)).toFixed(3)),
    };
    if (configuration.env.METRICS_ENABLED !== 'false') {
      const [gatewayScrape, runServiceScrape] = [await timedScrape(gateway.url), await timedScrape(services[0].url)];
      segment.scrape = { gatewayMs: gatewayScrape.ms, gatewayBytes: gatewayScrape.bytes, runServiceMs: runServiceScrape.ms, runServiceBytes: runServiceScrape.bytes };
    }
  } finally {
    await Promise.all(services.map((service) => service.stop()));
  }
  if (traced(configuration)) segment.traces = await exported.since(services);
  console.log(JSON.stringify(segment));
  return segment;
}

/**
 * In this process: nanoseconds per recording (a labelled counter increment, a labelled histogram observation),
 * on and off. A start records 5 counter increments and 5 observations on its way (gateway: HTTP and RPC
 * client; run-service: RPC server, run_starts, and at the relay the commit → stream lag of its two outbox
 * rows and its `queued` transition): that times these figures is the metrics' own CPU per start.
 */
function recordingCost(): Record<string, { counterIncNs: number; histogramObserveNs: number }> {
  const calls = 1_000_000;
  const benchCounter = counter({ name: 'bench_recordings_total', help: 'bench', labelNames: ['route', 'status'] });
  const benchHistogram = histogram({ name: 'bench_recording_seconds', help: 'bench', labelNames: ['route'], buckets: LATENCY_BUCKETS });
  const time = (action: (index: number) => void) => {
    for (let index = 0; index < calls / 10; index += 1) action(index); // warm-up
    const started = process.hrtime.bigint();
    for (let index = 0; index < calls; index += 1) action(index);
    return Number((Number(process.hrtime.bigint() - started) / calls).toFixed(1));
  };
  const measureBoth = () => ({
    counterIncNs: time((index) => benchCounter.inc({ route: '/api/tenants/:tenantId/runs', status: index % 10 === 0 ? '200' : '202' })),
    histogramObserveNs: time((index) => benchHistogram.observe({ route: '/api/tenants/:tenantId/runs' }, (index % 100) / 1000)),
  });
  configureMetrics({ service: 'bench', enabled: true });
  const on = measureBoth();
  configureMetrics({ service: 'bench', enabled: false });
  const off = measureBoth();
  return { 'metrics on': on, 'metrics off': off };
}

function pairedRatios(segments: Segment[], name: string, figure: (segment: Segment) => number): number[] {
  return [...new Set(segments.map((segment) => segment.round))].map((round) => {
    const of = (configuration: string) => segments.find((segment) => segment.round === round && segment.configuration === configuration)!;
    return Number((figure(of(name)) / figure(of(BASELINE))).toFixed(3));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return Number((sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2).toFixed(3));
}

async function main() {
  const recordings = recordingCost();
  const spans = await spanCost(sink);
  console.log(JSON.stringify({ recordings, spans }));
  const url = await createBenchDatabase(database);
  try {
    const token = await signDevelopmentToken({ email: 'owner@contoso.test', signingKey: LOCAL_DEVELOPMENT_SIGNING_KEY, expiresIn: '1h' });
    // A first segment pays for cold Postgres caches and a fresh database: measured, then left out.
    await measure(url, CONFIGURATIONS[0], 0, token);
    const segments: Segment[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const order = round % 2 === 1 ? CONFIGURATIONS : [...CONFIGURATIONS].reverse();
      for (const configuration of order) segments.push(await measure(url, configuration, round, token));
    }
    const summary = Object.fromEntries(
      CONFIGURATIONS.map(({ name }) => {
        const own = segments.filter((segment) => segment.configuration === name);
        return [
          name,
          {
            medianStartsPerSecond: median(own.map((segment) => segment.startsPerSecond)),
            medianP99Ms: median(own.map((segment) => segment.latencyMs.p99)),
            medianCpuMillisecondsPerStart: median(own.map((segment) => segment.cpuMillisecondsPerStart)),
          },
        ];
      }),
    );
    const base = summary[BASELINE];
    const ratios = Object.fromEntries(
      Object.entries(summary)
        .filter(([name]) => name !== BASELINE)
        .map(([name, figures]) => [
          name,
          {
            // Each round's pair measured back to back, then the median of those ratios: the machine's load changes less within a pair.
            pairedCpuPerStartRatio: median(pairedRatios(segments, name, (segment) => segment.cpuMillisecondsPerStart)),
            pairedThroughputRatio: median(pairedRatios(segments, name, (segment) => segment.startsPerSecond)),
            throughputRatio: Number((figures.medianStartsPerSecond / base.medianStartsPerSecond).toFixed(3)),
            cpuPerStartRatio: Number((figures.medianCpuMillisecondsPerStart / base.medianCpuMillisecondsPerStart).toFixed(3)),
            p99Ratio: Number((figures.medianP99Ms / base.medianP99Ms).toFixed(3)),
          },
        ]),
    );
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      connections: CONNECTIONS,
      durationSeconds: DURATION_SECONDS,
      rate: RATE ?? 'unbounded',
      rounds: ROUNDS,
      baseline: BASELINE,
      summary,
      ratiosToBaseline: ratios,
      recordings,
      spans,
      segments,
    };
    mkdirSync('bench/observability', { recursive: true });
    writeFileSync(`bench/observability/${RATE ? `last-run-rate-${RATE}` : 'last-run'}.json`, `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify({ summary, ratiosToBaseline: ratios, recordings, spans }, null, 2));
  } finally {
    await tearDownBench({ services: [], database, namespace });
    await sink.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

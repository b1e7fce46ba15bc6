// Issue 17's targets in one command: `npm run bench:targets`.
//
// Runs the benchmarks that measure them, one at a time (each starts its own services, database and namespace):
// bench:sse (SSE and notification lag in the same wave), bench:notifications and bench:start-path BENCH_REPEAT times
// (3), interleaved so that a slow or fast spell of the host falls on all three; then, unless BENCH_TARGETS_SLOW=0,
// bench:capture's incremental part once (its figure is a count of requests, the same in every run) and
// bench:fleet-scale BENCH_REPEAT times (its wall moves with the host's speed). Every run's own report is kept whole; for each
// target the report gives every run's figure, their median and in how many runs it was met — a target is "met"
// here only with that count, never from a single good run. Run it with nothing else on the host: every figure
// shares the two cores with whatever else runs.
//
// Writes bench/targets/last-run.json; each benchmark's own last-run file is left as its last run here wrote it.
// Between two runs the host is left alone for BENCH_SETTLE_SECONDS (20): a run right after the start path (pgbench,
// then a dropped database) measured its notification p99 at 130 ms against 76–79 ms in the other two.
// Knobs: BENCH_REPEAT (3), BENCH_TARGETS_SLOW (1), BENCH_SETTLE_SECONDS (20), BENCH_SERVICES_ROOT (passed on: another
// build's services).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile } from '../support/bench-environment.js';

const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const SLOW = process.env.BENCH_TARGETS_SLOW !== '0';
const SETTLE_MS = Number(process.env.BENCH_SETTLE_SECONDS ?? 20) * 1000;

type Report = Record<string, unknown>;

interface Bench {
  name: string;
  script: string;
  /** Where the benchmark writes its report. */
  report: string;
  env?: Record<string, string>;
}

const SSE: Bench = { name: 'sse', script: 'dist/bench/sse/sse.bench.js', report: 'bench/sse/last-run.json' };
const NOTIFICATIONS: Bench = { name: 'notifications', script: 'dist/bench/notifications/notifications.bench.js', report: 'bench/notifications/last-run.json' };
const START_PATH: Bench = { name: 'start-path', script: 'dist/bench/start-path/start-path.bench.js', report: 'bench/start-path/last-run.json' };
const INCREMENTAL: Bench = {
  name: 'incremental-capture',
  script: 'dist/bench/capture/capture.bench.js',
  report: 'bench/results/capture.json',
  env: { BENCH_INCREMENTAL_ONLY: '1' },
};
const FLEET_SCALE: Bench = { name: 'fleet-scale', script: 'dist/bench/fleet-scale/fleet-scale.bench.js', report: 'bench/fleet-scale/last-run.json' };

/** One target: the benchmark that measures it, the figure it reads from each run's report, and when that figure meets it. */
interface Target {
  target: string;
  bench: Bench;
  figure: (report: Report) => number;
  unit: string;
  /** Absent for a figure given as context. */
  met?: (figure: number, report: Report) => boolean;
}

/** A number at a dotted path of a report (NaN when absent: a run that did not measure it never meets a target). */
function at(report: Report, path: string): number {
  const value = path.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), report);
  return typeof value === 'number' ? value : Number.NaN;
}

const TARGETS: Target[] = [
  {
    target: '1. start path: ≥ 2,000 starts/s at gateway p99 ≤ 50 ms, or ≥ 0.35 of the Postgres ceiling (the figure: the ratio)',
    bench: START_PATH,
    figure: (report) => at(report, 'ratioGatewayToCeiling'),
    unit: '',
    met: (ratio, report) => ratio >= 0.35 || (at(report, 'gateway.requestsPerSecond') >= 2000 && at(report, 'gateway.latencyMs.p99') <= 50),
  },
  { target: '1. start path: starts/s (context)', bench: START_PATH, figure: (report) => at(report, 'gateway.requestsPerSecond'), unit: '/s' },
  { target: '1. … gateway p99 (context)', bench: START_PATH, figure: (report) => at(report, 'gateway.latencyMs.p99'), unit: ' ms' },
  { target: '1. commit → stream p99 ≤ 20 ms', bench: START_PATH, figure: (report) => at(report, 'commitToStreamMs.p99'), unit: ' ms', met: (p99) => p99 <= 20 },
  {
    target: '2. notifications p99 ≤ 100 ms, 200 runs with 100 SSE clients (bench:sse, same wave)',
    bench: SSE,
    figure: (report) => at(report, 'commitToNotificationMs.p99'),
    unit: ' ms',
    met: (p99) => p99 <= 100,
  },
  { target: '2. SSE p99 ≤ 100 ms, same wave', bench: SSE, figure: (report) => at(report, 'storedToClientMs.p99'), unit: ' ms', met: (p99) => p99 <= 100 },
  {
    target: '2. notifications p99 ≤ 100 ms (bench:notifications: starts over RPC, no SSE clients)',
    bench: NOTIFICATIONS,
    figure: (report) => at(report, 'commitToNotificationMs.p99'),
    unit: ' ms',
    met: (p99) => p99 <= 100,
  },
  ...(SLOW
    ? [
        {
          target: '3. incremental capture ≤ 10 % of a full capture\'s requests, identical content',
          bench: INCREMENTAL,
          figure: (report: Report) => at(report, 'incremental.requestRatio'),
          unit: '',
          met: (ratio: number, report: Report) => ratio <= 0.1 && (report.incremental as { identicalContent?: boolean } | undefined)?.identicalContent === true,
        },
        {
          // The bound runs on the slots can reach (bench/fleet-scale: a run holds its slot to its end).
          target: '4. fleet scale: wall ≤ 1.2× the bound (the runs scheduled on the slots)',
          bench: FLEET_SCALE,
          figure: (report: Report) => at(report, 'ratioToScheduledBound'),
          unit: '×',
          met: (ratio: number) => ratio <= 1.2,
        },
        { target: '4. … wall ÷ (Σ run floors ÷ slots) (context: no schedule reaches it)', bench: FLEET_SCALE, figure: (report: Report) => at(report, 'ratio'), unit: '×' },
        {
          target: '4. fleet scale: worker RSS ≤ 250 MiB',
          bench: FLEET_SCALE,
          figure: (report: Report) => Math.max(...((report.memory as { rssMaxMiB: number }[] | undefined) ?? []).map((worker) => worker.rssMaxMiB)),
          unit: ' MiB',
          met: (rss: number) => rss <= 250,
        },
      ]
    : []),
];

/** Runs one benchmark to its end (its output in `log`); its report as it wrote it. */
function run(bench: Bench, log: string): Promise<Report> {
  return new Promise((resolve, reject) => {
    const output = createWriteStream(log);
    const child = spawn(process.execPath, [bench.script], { env: { ...process.env, ...bench.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(output, { end: false });
    child.stderr.pipe(output, { end: false });
    child.on('error', reject);
    child.on('exit', (code) => {
      output.end();
      if (code !== 0) reject(new Error(`${bench.name} exited with ${code}; its output: ${log}`));
      else resolve(JSON.parse(readFileSync(bench.report, 'utf8')) as Report);
    });
  });
}

async function main() {
  const logs = join(tmpdir(), `pv-bench-targets-${Date.now().toString(36)}`);
  mkdirSync(logs, { recursive: true });
  const order: Bench[] = [];
  for (let round = 0; round < REPEAT; round += 1) order.push(...(round % 2 === 0 ? [SSE, NOTIFICATIONS, START_PATH] : [START_PATH, NOTIFICATIONS, SSE]));
  if (SLOW) order.push(INCREMENTAL, ...Array.from({ length: REPEAT }, () => FLEET_SCALE));

  const runs: { bench: string; startedAt: string; loadAverageAtStart: number[]; report: Report }[] = [];
  for (const [index, bench] of order.entries()) {
    if (index > 0) await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const startedAt = new Date().toISOString();
    console.log(`${startedAt} ${index + 1}/${order.length} ${bench.name}`);
    runs.push({ bench: bench.name, startedAt, loadAverageAtStart: loadavg().map((value) => Math.round(value * 100) / 100), report: await run(bench, join(logs, `${index + 1}-${bench.name}.log`)) });
  }

  const targets = TARGETS.map(({ target, bench, figure, unit, met }) => {
    const ofBench = runs.filter((entry) => entry.bench === bench.name);
    // Ratios to three decimals, the rest (ms, starts/s, MiB) to one.
    const scale = unit === '' || unit === '×' ? 1000 : 10;
    const figures = ofBench.map(({ report }) => Math.round(figure(report) * scale) / scale);
    const sorted = [...figures].sort((a, b) => a - b);
    const metIn = met ? ofBench.filter(({ report }, index) => met(figures[index], report)).length : null;
    return { target, unit, figures, median: percentile(sorted, 0.5), met: metIn, runs: ofBench.length };
  });
  const result = { date: new Date().toISOString(), node: process.version, services: process.env.BENCH_SERVICES_ROOT ?? 'this checkout', repeat: REPEAT, logs, targets, runs };
  mkdirSync('bench/targets', { recursive: true });
  writeFileSync('bench/targets/last-run.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log('\n| target | every run | median | met |\n|---|---|---|---|');
  for (const { target, unit, figures, median, met, runs: count } of targets) {
    console.log(`| ${target} | ${figures.map((value) => `${value}${unit}`).join(' · ')} | ${median}${unit} | ${met === null ? '—' : `${met} of ${count}`} |`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/// <reference lib="dom" />
// The admin UI in Debian's Chromium against the real gateway and run-service (issue 13's two browser targets).
// `npm run bench:admin-ui-live` (builds first).
//
// 1. Runs page with BENCH_HISTORY_RUNS (10,000) runs in the tenant (written straight into run_service.runs:
//    a history, not load). BENCH_PAGE_LOADS (12) cold loads of /tenants/:id/runs, each in a fresh browser
//    context (empty HTTP cache, signed in): first row = when the first table row is in the DOM;
//    interactive = the later of the first row and the end of the last long task (> 50 ms of main thread)
//    that started before it, as the page's own PerformanceObserver sees them. Then "Older" clicked
//    BENCH_PAGE_CLICKS (5) times: click → the next page's first row shown. Target: interactive ≤ 1 s.
// 2. Progress widget with BENCH_RUNS (200) concurrent runs: the runs page and the header widget open,
//    200 runs started through the gateway at once and driven with worker events (BENCH_ITEMS_PER_RUN
//    item events each, BENCH_ITEM_PAUSE_MS apart), as workers publish them, until the widget shows none
//    active. Measured in the page: every long task and every animation-frame interval while the runs
//    are active. Target: no long task ≥ 50 ms (no dropped frames from the app's own work).
// Load averages are recorded with the figures: the machine has 2 cores shared by everything here.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import pg from 'pg';
import type { Browser, Page } from '@playwright/test';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { DEMO_TENANTS, jetStreamNames } from '@policyvault/contracts';
import { signDevelopmentToken } from '@policyvault/platform';
import { launchBrowser, startService, type ServiceProcess } from '@policyvault/testing';
import { NATS_URL, createBenchDatabase, runBench, tearDownBench, percentile } from '../support/bench-environment.js';
import { wave, type RunDriver } from '../support/run-driver.js';

const HISTORY_RUNS = Number(process.env.BENCH_HISTORY_RUNS ?? 10_000);
const PAGE_LOADS = Number(process.env.BENCH_PAGE_LOADS ?? 12);
const PAGE_CLICKS = Number(process.env.BENCH_PAGE_CLICKS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const ITEMS_PER_RUN = Number(process.env.BENCH_ITEMS_PER_RUN ?? 10);
const ITEM_PAUSE_MS = Number(process.env.BENCH_ITEM_PAUSE_MS ?? 200);
const SIGNING_KEY = 'admin-ui-benchmark-signing-key-0123456789abcd';
const OPERATOR = 'operator@contoso.test';
const stamp = Date.now().toString(36);
const database = `pv_bench_ui_${stamp}`;
const namespace = `pvbench_ui_${stamp}`;
const tenant = DEMO_TENANTS[0];
const names = jetStreamNames(namespace);

/** What every measured page records about itself from its first script on. */
const PAGE_PROBE = `
  window.__bench = { longTasks: [], frames: [], firstRowAt: null };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  new MutationObserver(() => {
    if (window.__bench.firstRowAt === null && document.querySelector('main tbody tr')) window.__bench.firstRowAt = performance.now();
  }).observe(document, { childList: true, subtree: true });
`;

interface ProbeState {
  longTasks: Array<{ start: number; duration: number }>;
  frames: number[];
  firstRowAt: number | null;
}

const readProbe = (page: Page) => page.evaluate(() => (window as unknown as { __bench: ProbeState }).__bench);

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (value: number) => Number(value.toFixed(1));
  return { samples: sorted.length, p50: round(percentile(sorted, 0.5)), p90: round(percentile(sorted, 0.9)), max: round(sorted[sorted.length - 1] ?? 0) };
}

/** Ten thousand runs of every terminal kind, spread over 90 days, newest first on the page. */
async function writeHistory(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(
    `INSERT INTO run_service.runs (id, tenant_id, tenant_directory_id, type, target, scope, scope_hash, dedupe_key, status,
        planned_items, expected_items, total_items, succeeded_items, failed_items, skipped_items, initiator_user_id, initiator_email,
        error, queued_at, started_at, finished_at)
     SELECT gen_random_uuid(), $1, $2, (ARRAY['inventory.sync','backup_set.create','restore.preview','drift.check'])[1 + n % 4],
        jsonb_build_object('name', 'history ' || n), '{}'::jsonb, 'h', 'history:' || n,
        (ARRAY['succeeded','succeeded','succeeded','partial','failed','canceled'])[1 + n % 6],
        40, 40, 40, 40 - (n % 3), n % 3, 0, gen_random_uuid(), $3,
        CASE WHEN n % 6 = 4 THEN '{"code":"graph_throttled","message":"Microsoft Graph kept throttling the tenant."}'::jsonb END,
        now() - make_interval(mins => n * 13), now() - make_interval(mins => n * 13) + interval '2 seconds', now() - make_interval(mins => n * 13) + interval '40 seconds'
     FROM generate_series(1, $4::int) AS n`,
    [tenant.id, tenant.directoryId, OPERATOR, HISTORY_RUNS],
  );
  await client.query('ANALYZE run_service.runs');
  await client.end();
}

async function signedInPage(browser: Browser, token: string): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'Europe/Amsterdam', locale: 'en-GB' });
  const session = JSON.stringify({ mode: 'development', email: OPERATOR, token });
  await context.addInitScript(`sessionStorage.setItem('policyvault.session', ${JSON.stringify(session)});${PAGE_PROBE}`);
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  return { page, close: () => context.close() };
}

async function runsPage(browser: Browser, gatewayUrl: string, token: string) {
  const firstRow: number[] = [];
  const interactive: number[] = [];
  const longestTask: number[] = [];
  const nextPage: number[] = [];
  for (let load = 0; load < PAGE_LOADS; load += 1) {
    const { page, close } = await signedInPage(browser, token);
    await page.goto(`${gatewayUrl}/tenants/${tenant.id}/runs`);
    await page.locator('main tbody tr').first().waitFor();
    await page.waitForTimeout(1_000); // let late long tasks land in the probe
    const probe = await readProbe(page);
    if (process.env.BENCH_TRACE && load === 0) {
      // Where the first load's time goes: the document, each script and API call, the long tasks.
      const timeline = await page.evaluate(() => ({
        navigation: performance.getEntriesByType('navigation').map((entry) => ({ responseEnd: Math.round((entry as PerformanceNavigationTiming).responseEnd), domContentLoaded: Math.round((entry as PerformanceNavigationTiming).domContentLoadedEventEnd) })),
        resources: performance.getEntriesByType('resource').map((entry) => ({ name: entry.name.replace(location.origin, ''), start: Math.round(entry.startTime), end: Math.round((entry as PerformanceResourceTiming).responseEnd) })),
      }));
      console.error(JSON.stringify({ ...timeline, longTasks: probe.longTasks, firstRowAt: probe.firstRowAt }, null, 1));
    }
    const shown = probe.firstRowAt ?? Number.NaN;
    const before = probe.longTasks.filter((task) => task.start <= shown);
    firstRow.push(shown);
    interactive.push(Math.max(shown, ...before.map((task) => task.start + task.duration)));
    longestTask.push(Math.max(0, ...probe.longTasks.map((task) => task.duration)));
    if (load === 0) {
      for (let click = 0; click < PAGE_CLICKS; click += 1) {
        nextPage.push(
          await page.evaluate(async () => {
            const firstLink = () => document.querySelector('main tbody tr a')?.getAttribute('href');
            const previous = firstLink();
            const older = [...document.querySelectorAll('button')].find((button) => button.textContent?.trim() === 'Older');
            if (!older) throw new Error(`no "Older" button in: ${document.querySelector('main')?.textContent?.slice(0, 600)}`);
            const started = performance.now();
            older.click();
            while (!firstLink() || firstLink() === previous) await new Promise((resolve) => requestAnimationFrame(resolve));
            return performance.now() - started;
          }),
        );
      }
    }
    await close();
  }
  return { loads: PAGE_LOADS, firstRowMs: summary(firstRow), interactiveMs: summary(interactive), longestTaskMs: summary(longestTask), olderPageMs: summary(nextPage) };
}

async function progressWidget(browser: Browser, gatewayUrl: string, driver: RunDriver) {
  const { page, close } = await signedInPage(browser, driver.token);
  await page.goto(`${gatewayUrl}/tenants/${tenant.id}/runs`);
  await page.locator('main tbody tr').first().waitFor();
  const widget = page.getByRole('button', { name: /^Active runs: / });
  await widget.getByText('0').waitFor();
  await page.evaluate(() => {
    const bench = (window as unknown as { __bench: ProbeState & { measureFrom: number } }).__bench;
    bench.measureFrom = performance.now();
    let last = performance.now();
    const frame = (now: number) => {
      bench.frames.push(now - last);
      last = now;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  let peakActive = 0;
  const watching = (async () => {
    for (;;) {
      const label = (await widget.getAttribute('aria-label')) ?? '';
      peakActive = Math.max(peakActive, Number(label.replace(/\D/g, '')));
      if (peakActive > 0 && label === 'Active runs: 0') return;
      await page.waitForTimeout(100);
    }
  })();
  const started = Date.now();
  await wave(driver, RUNS, ITEMS_PER_RUN, ITEM_PAUSE_MS);
  await watching;
  const wallSeconds = (Date.now() - started) / 1000;
  const probe = (await page.evaluate(() => (window as unknown as { __bench: ProbeState & { measureFrom: number } }).__bench)) as ProbeState & { measureFrom: number };
  await close();
  const tasks = probe.longTasks.filter((task) => task.start >= probe.measureFrom).map((task) => task.duration);
  return {
    concurrentRuns: RUNS,
    itemsPerRun: ITEMS_PER_RUN,
    peakActiveShown: peakActive,
    wallSeconds,
    longTasks: { count: tasks.length, ...summary(tasks) },
    frameIntervalMs: summary(probe.frames),
    framesOver50Ms: probe.frames.filter((interval) => interval > 50).length,
  };
}

async function main() {
  const services: ServiceProcess[] = [];
  const connection = await connect({ servers: NATS_URL });
  const js = jetstream(connection);
  let browser: Browser | undefined;
  try {
    const url = await createBenchDatabase(database);
    await writeHistory(url);
    const env = { DATABASE_URL: url, NATS_URL, NATS_NAMESPACE: namespace, LOG_LEVEL: 'warn', AUTH_MODE: 'development', AUTH_DEV_SIGNING_KEY: SIGNING_KEY };
    services.push(await startService('run-service', env, { instance: 'run-service' }));
    services.push(await startService('notifier', env, { instance: 'notifier' }));
    const gateway = await startService('gateway', env, { instance: 'gateway' });
    services.push(gateway);
    browser = await launchBrowser();
    const token = await signDevelopmentToken({ email: OPERATOR, signingKey: SIGNING_KEY });
    const loadAtStart = loadavg();
    const runs = await runsPage(browser, gateway.url, token);
    const driver: RunDriver = { gatewayUrl: gateway.url, token, tenantId: tenant.id, names, publish: async (subject, event) => void (await js.publish(subject, JSON.stringify(event))) };
    const widget = await progressWidget(browser, gateway.url, driver);
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      chromium: browser.version(),
      loadAverage: { atStart: loadAtStart.map((value) => Number(value.toFixed(2))), atEnd: loadavg().map((value) => Number(value.toFixed(2))) },
      runsPage: { historyRuns: HISTORY_RUNS, ...runs, targetInteractiveMs: 1000, met: runs.interactiveMs.max <= 1000 },
      progressWidget: { ...widget, targetLongTaskMs: 50, met: widget.longTasks.max < 50 },
    };
    writeFileSync('bench/admin-ui/live-ui-last-run.json', `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await browser?.close();
    await tearDownBench({ services, connection, database, namespace });
  }
}

runBench(main);

// Metrics end to end: every service's /metrics is scraped before and after a backup set and a restore preview
// through the real services (with throttling injected in the Graph emulator), and each counter must have moved
// exactly as the run did: starts and transitions by type, messages per durable against JetStream's own consumer
// counts, Graph requests and 429s against the emulator's journal, notifications against the notifier's table,
// RPC and HTTP by route template, SSE connections. The output must parse as Prometheus text, and every metric
// the Grafana dashboard queries must be one the services expose.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { RunRpc, RunStatus, RunType } from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import {
  CONTOSO,
  gatewayRuns,
  graphEmulatorEnv,
  metricValue,
  openSse,
  parsePrometheusText,
  scrapeMetrics,
  startService,
  startStack,
  waitFor,
  type GatewayRuns,
  type MetricsScrape,
  type Stack,
} from '@policyvault/testing';

const SERVICES = ['run-service', 'capture-worker', 'restore-worker', 'notifier', 'gateway'] as const;
type Service = (typeof SERVICES)[number];
const BACKUP_TYPES = ['deviceConfiguration', 'compliancePolicy'];
const WORKERS: Service[] = ['capture-worker', 'restore-worker'];

describe('metrics on /metrics of every service', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let runs: GatewayRuns;
  let token: string;

  const url = (service: Service) => stack.services.find((process) => process.name === `${service}-1`)!.url;
  const scrapeAll = async () =>
    Object.fromEntries(await Promise.all(SERVICES.map(async (service) => [service, await scrapeMetrics(url(service))] as const))) as Record<Service, MetricsScrape>;
  const moved = (before: Record<Service, MetricsScrape>, after: Record<Service, MetricsScrape>, service: Service, name: string, labels: Record<string, string> = {}) =>
    metricValue(after[service], name, labels) - metricValue(before[service], name, labels);
  const graphJournal = (sinceSeq: number) => emulator.journal.list({ sinceSeq }).filter((entry) => entry.kind === 'graph');
  /** The sequence of the last message the worker-event stream took (every event published moves it by one). */
  const workerEventsLastSeq = async () => (await stack.nats.jsm.streams.info(stack.nats.names.workerEventStream)).state.last_seq;
  const consumerDeliveries = async (stream: string, durable: string) => (await stack.nats.jsm.consumers.info(stream, durable)).delivered.consumer_seq;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: { deviceConfiguration: 6, compliancePolicy: 3 } } });
    stack = await startStack({ services: [...SERVICES], env: graphEmulatorEnv(emulator.url) });
    token = await stack.token('owner@contoso.test');
    runs = gatewayRuns(stack.gatewayUrl, token);
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await emulator?.close();
  });

  it('the counters move as a backup set and a restore preview did', async () => {
    const before = await scrapeAll();
    const workerEventsBefore = await workerEventsLastSeq();
    const journalStart = emulator.journal.lastSeq;
    // Throttle a share of Graph's answers (with Retry-After: 1 s): the 429s and retries must be counted.
    emulator.admin.setFaults(CONTOSO.directoryId, { throttleRate: 0.3, seed: 7 });

    const live = await openSse(`${stack.gatewayUrl}/api/tenants/${CONTOSO.id}/runs/events`, { token });
    expect(live.status).toBe(200);
    expect(metricValue(await scrapeMetrics(url('gateway')), 'policyvault_sse_connections')).toBe(metricValue(before.gateway, 'policyvault_sse_connections') + 1);

    const body = { type: RunType.BackupSetCreate, target: { name: 'Metrics' }, scope: { policyTypes: BACKUP_TYPES, includeFoundations: false } };
    const first = await runs.start(CONTOSO.id, body);
    // The same start again while the first is active: the run is reused (counted as such, 200 instead of 202).
    const again = await runs.start(CONTOSO.id, body);
    const backup = await runs.waitUntilTerminal(CONTOSO.id, first.reply.run.id, { timeoutMs: 90_000 });
    expect(backup.status).toBe(RunStatus.Succeeded);
    emulator.admin.setFaults(CONTOSO.directoryId, undefined);
    const preview = await runs.start(CONTOSO.id, { type: RunType.RestorePreview, target: { backupSetId: String(backup.summary?.backupSetId) }, scope: {} });
    const previewRun = await runs.waitUntilTerminal(CONTOSO.id, preview.reply.run.id, { timeoutMs: 60_000 });
    expect(previewRun.status).toBe(RunStatus.Succeeded);
    const reused = again.reply.reused ? 1 : 0;
    const accepted = [first, again, preview].filter((start) => start.httpStatus === 202).length;

    // Both runs' terminal events reach the stream and the notifier: wait for what follows the end of a run.
    const database = new pg.Client({ connectionString: stack.database.url });
    await database.connect();
    const runIds = [backup.id, previewRun.id];
    try {
      const notificationRows = async () =>
        Number((await database.query<{ count: string }>('SELECT count(*) FROM notifier.notifications WHERE run_id = ANY($1)', [runIds])).rows[0].count);
      await waitFor(notificationRows, (count) => count >= 6, { timeoutMs: 30_000, what: 'a notification per transition of both runs' });
      live.close();
      const after = await waitFor(
        scrapeAll,
        (scrape) =>
          metricValue(scrape['run-service'], 'policyvault_outbox_backlog_messages') === 0 &&
          metricValue(scrape.gateway, 'policyvault_sse_connections') === metricValue(before.gateway, 'policyvault_sse_connections') &&
          metricValue(scrape.notifier, 'policyvault_notifications_written_total') - metricValue(before.notifier, 'policyvault_notifications_written_total') >= 6,
        { timeoutMs: 30_000, intervalMs: 200, what: 'the relay, the notifier and the SSE stream to settle' },
      );
      const notifications = await notificationRows();
      const sentOutboxRows = Number((await database.query<{ count: string }>('SELECT count(*) FROM run_service.outbox WHERE sent_at IS NOT NULL')).rows[0].count);

      // run-service: starts by type and result, transitions by type and status, durations of both runs.
      expect(moved(before, after, 'run-service', 'policyvault_run_starts_total', { type: RunType.BackupSetCreate, result: 'started' })).toBe(1);
      expect(moved(before, after, 'run-service', 'policyvault_run_starts_total', { type: RunType.BackupSetCreate, result: 'reused' })).toBe(reused);
      expect(moved(before, after, 'run-service', 'policyvault_run_starts_total', { type: RunType.RestorePreview, result: 'started' })).toBe(1);
      for (const type of [RunType.BackupSetCreate, RunType.RestorePreview]) {
        for (const status of [RunStatus.Queued, RunStatus.Running, RunStatus.Succeeded]) {
          expect(moved(before, after, 'run-service', 'policyvault_run_transitions_total', { type, status })).toBe(1);
        }
        expect(moved(before, after, 'run-service', 'policyvault_run_duration_seconds_count', { type, status: RunStatus.Succeeded })).toBe(1);
      }
      expect(moved(before, after, 'run-service', 'policyvault_run_transitions_total', { status: RunStatus.Failed })).toBe(0);
      // Every outbox row this stack ever sent was measured once (commit → stream), and none is left.
      expect(metricValue(after['run-service'], 'policyvault_outbox_commit_to_stream_seconds_count')).toBe(sentOutboxRows);
      expect(metricValue(after['run-service'], 'policyvault_outbox_oldest_unsent_seconds')).toBe(0);

      // RPC: the gateway asked run-service to start three times, run-service answered three starts.
      expect(moved(before, after, 'gateway', 'policyvault_rpc_client_requests_total', { pattern: RunRpc.start, outcome: 'ok' })).toBe(3);
      expect(moved(before, after, 'run-service', 'policyvault_rpc_server_requests_total', { pattern: RunRpc.start, outcome: 'ok' })).toBe(3);
      expect(moved(before, after, 'run-service', 'policyvault_rpc_server_duration_seconds_count', { pattern: RunRpc.start })).toBe(3);
      // HTTP by route template, never the raw URL.
      const startRoute = { method: 'POST', route: '/api/tenants/:tenantId/runs' };
      expect(moved(before, after, 'gateway', 'policyvault_http_requests_total', { ...startRoute, status: '202' })).toBe(accepted);
      expect(moved(before, after, 'gateway', 'policyvault_http_requests_total', { ...startRoute, status: '200' })).toBe(3 - accepted);
      expect(after.gateway.samples.some((sample) => sample.labels.route?.includes(CONTOSO.id))).toBe(false);

      // JetStream: what each durable settled equals what JetStream delivered to it; nothing pending.
      const { names } = stack.nats;
      const durables: [Service, string, string][] = [
        ['capture-worker', names.commandStream, 'capture-worker'],
        ['restore-worker', names.commandStream, 'restore-worker'],
        ['run-service', names.workerEventStream, 'run-service'],
        ['notifier', names.runStatusStream, 'notifier'],
      ];
      for (const [service, stream, durable] of durables) {
        const labels = { stream, durable };
        expect(metricValue(after[service], 'policyvault_jetstream_messages_total', labels)).toBe(await consumerDeliveries(stream, durable));
        expect(metricValue(after[service], 'policyvault_jetstream_consumer_pending_messages', labels)).toBe(0);
        expect(metricValue(after[service], 'policyvault_jetstream_consumer_ack_pending_messages', labels)).toBe(0);
        expect(after[service].samples.some((sample) => sample.name === 'policyvault_jetstream_consumer_pending_messages' && sample.labels.durable === durable)).toBe(true);
      }
      expect(moved(before, after, 'capture-worker', 'policyvault_jetstream_messages_total', { durable: 'capture-worker', outcome: 'ack' })).toBe(1);
      expect(moved(before, after, 'restore-worker', 'policyvault_jetstream_messages_total', { durable: 'restore-worker', outcome: 'ack' })).toBe(1);
      // Worker events: run-started, item-finished events (one item each, or a batch of `items`: at least one per run, at
      // most one per item), run-finished, for each run; each published event acked once.
      const workerEvents = (await workerEventsLastSeq()) - workerEventsBefore;
      expect(workerEvents).toBeGreaterThanOrEqual(2 * 3);
      expect(workerEvents).toBeLessThanOrEqual(backup.counts.total + 2 + previewRun.counts.total + 2);
      expect(moved(before, after, 'run-service', 'policyvault_jetstream_messages_total', { durable: 'run-service', outcome: 'ack' })).toBe(workerEvents);
      // Notifier: one status event per transition; notifications as written in its table; a lag for each.
      expect(moved(before, after, 'notifier', 'policyvault_jetstream_messages_total', { durable: 'notifier', outcome: 'ack' })).toBe(6);
      expect(moved(before, after, 'notifier', 'policyvault_notifications_written_total')).toBe(notifications);
      expect(moved(before, after, 'notifier', 'policyvault_notification_lag_seconds_count')).toBe(6);

      // Graph: the workers counted exactly the exchanges the emulator answered, and its 429s.
      const journal = graphJournal(journalStart);
      const workersMoved = (name: string, labels: Record<string, string> = {}) => WORKERS.reduce((sum, service) => sum + moved(before, after, service, name, labels), 0);
      expect(workersMoved('policyvault_graph_requests_total')).toBe(journal.length);
      expect(workersMoved('policyvault_graph_requests_total', { status_class: '2xx' })).toBe(journal.filter((entry) => entry.status >= 200 && entry.status < 300).length);
      const throttledRequests = journal.filter((entry) => entry.status === 429).length;
      const throttledItems = emulator.journal.list({ sinceSeq: journalStart, kind: 'batch-item' }).filter((entry) => entry.status === 429).length;
      expect(throttledRequests + throttledItems).toBeGreaterThan(0);
      expect(workersMoved('policyvault_graph_throttled_total', { kind: 'request' })).toBe(throttledRequests);
      expect(workersMoved('policyvault_graph_throttled_total', { kind: 'batch_item' })).toBe(throttledItems);
      expect(workersMoved('policyvault_graph_retries_total', { reason: 'throttled' })).toBeGreaterThan(0);
      expect(metricValue(after['capture-worker'], 'policyvault_graph_breakers', { state: 'closed' })).toBeGreaterThan(0);
      expect(metricValue(after['capture-worker'], 'policyvault_graph_breakers', { state: 'open' })).toBe(0);

      // SSE: the stream was counted while open and its end by reason.
      expect(moved(before, after, 'gateway', 'policyvault_sse_disconnects_total', { reason: 'client_closed' })).toBe(1);
      // Default process metrics, with the service label on every series.
      for (const service of SERVICES) {
        expect(metricValue(after[service], 'process_cpu_seconds_total')).toBeGreaterThan(0);
        expect(after[service].samples.every((sample) => sample.labels.service === service)).toBe(true);
      }
    } finally {
      await database.end();
    }
  }, 180_000);

  it('every metric the Grafana dashboard and the Prometheus rules query is one the services expose', async () => {
    const scrapes = await scrapeAll();
    const exposed = new Set<string>();
    for (const scrape of Object.values(scrapes)) {
      for (const [family, type] of scrape.families) {
        exposed.add(family);
        if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) exposed.add(`${family}${suffix}`);
      }
    }
    const dashboard = JSON.parse(readFileSync('deploy/grafana/dashboards/policyvault.json', 'utf8')) as { panels: { title: string; targets?: { expr: string }[] }[] };
    const expressions = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
    expect(expressions.length).toBeGreaterThan(15);
    const queried = new Set(expressions.flatMap((expr) => expr.match(/\b(?:policyvault|process|nodejs)_[a-z0-9_]+\b/g) ?? []));
    expect([...queried].filter((name) => !exposed.has(name))).toEqual([]);
    // Every policyvault family is on the dashboard.
    const families = new Set([...Object.values(scrapes)].flatMap((scrape) => [...scrape.families.keys()].filter((name) => name.startsWith('policyvault_'))));
    const unshown = [...families].filter((family) => ![...queried].some((name) => name === family || name.startsWith(`${family}_`)));
    expect(unshown).toEqual([]);
  });

  it('METRICS_ENABLED=false serves no /metrics, another value stops the service naming it; malformed exposition text is refused', async () => {
    const refused = spawnSync(process.execPath, ['dist/apps/notifier/src/main.js'], { env: { PATH: process.env.PATH ?? '', ...stack.env, METRICS_ENABLED: 'yes' }, encoding: 'utf8', timeout: 20_000 });
    expect(refused.status).toBe(78);
    expect(`${refused.stdout}${refused.stderr}`).toContain('METRICS_ENABLED');
    const quiet = await startService('notifier', { ...stack.env, METRICS_ENABLED: 'false' }, { instance: 'notifier-quiet' });
    try {
      expect((await fetch(`${quiet.url}/metrics`)).status).toBe(404);
      expect((await fetch(`${quiet.url}/health/live`)).status).toBe(200);
    } finally {
      await quiet.stop();
    }
    expect(() => parsePrometheusText('# TYPE a counter\na{x="1"} 1\nb 2\n')).toThrow(/no declared family/);
    expect(() => parsePrometheusText('# TYPE a counter\na{x=1} 1\n')).toThrow(/bad label/);
    expect(() => parsePrometheusText('# TYPE a counter\na one\n')).toThrow(/bad value/);
  });
});

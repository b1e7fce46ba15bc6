// One run, one trace: every service exports its spans (OTLP/HTTP JSON) to a collector inside this test,
// and a backup set started through the gateway comes back as one connected tree of spans — the HTTP
// start, the start RPC, the outbox relay's publish, the worker's command, its Graph requests and events,
// run-service applying them, and the notifier writing the notifications.
import { DEMO_GRAPH_APP, RunStatus, RunType } from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import {
  CONTOSO,
  OtlpSpanKind,
  gatewayRuns,
  graphEmulatorEnv,
  otlpCollectorEnv,
  startOtlpCollector,
  startStack,
  waitFor,
  type CollectedSpan,
  type OtlpCollector,
  type Stack,
} from '@policyvault/testing';

const RUN_ID = 'policyvault.run_id';
const TENANT_ID = 'policyvault.tenant_id';
const RUN_TYPE = 'policyvault.run_type';
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe('tracing: one run is one trace across gateway, run-service, capture-worker, Graph and notifier', () => {
  let emulator: RunningGraphEmulator;
  let collector: OtlpCollector;
  let stack: Stack;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: { deviceConfiguration: 3 } } });
    collector = await startOtlpCollector();
    stack = await startStack({
      services: ['run-service', 'gateway', 'capture-worker', 'notifier'],
      env: { ...graphEmulatorEnv(emulator.url), ...otlpCollectorEnv(collector) },
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await collector?.close();
    await emulator?.close();
  });

  /** Waits until the run's notification of success is exported and every trace holding the run's spans is whole. */
  const runExported = (runId: string) =>
    waitFor(
      async () => collector.spans,
      (all) => {
        const ids = new Set(all.map((span) => span.spanId));
        const ofRun = all.filter((span) => span.attributes[RUN_ID] === runId);
        const traces = new Set(ofRun.map((span) => span.traceId));
        const whole = all.filter((span) => traces.has(span.traceId)).every((span) => !span.parentSpanId || ids.has(span.parentSpanId));
        return whole && ofRun.some((span) => span.name === 'notification record' && span.attributes['policyvault.run_status'] === RunStatus.Succeeded);
      },
      { timeoutMs: 30_000, what: 'every span of the run to be exported' },
    );

  it('connects the HTTP start to the Graph requests and the notification, with the run named on every hop', async () => {
    const runs = gatewayRuns(stack.gatewayUrl, await stack.token('operator@contoso.test'));
    const { reply } = await runs.start(CONTOSO.id, { type: RunType.BackupSetCreate, target: { name: 'Traced' }, scope: { policyTypes: ['deviceConfiguration'] } });
    const runId = reply.run.id;
    expect((await runs.waitUntilTerminal(CONTOSO.id, runId)).status).toBe(RunStatus.Succeeded);

    await runExported(runId);
    const start = collector.spans.find((span) => span.service === 'gateway' && span.kind === OtlpSpanKind.server && span.attributes[RUN_ID] === runId);
    const spans = collector.spans.filter((span) => span.traceId === start?.traceId);

    // One trace: its root is the HTTP start, and no span of this run is in another trace.
    expect(start).toMatchObject({ name: 'POST /api/tenants/:tenantId/runs', parentSpanId: undefined });
    expect(start!.attributes).toMatchObject({ 'http.route': '/api/tenants/:tenantId/runs', 'http.response.status_code': 202, [TENANT_ID]: CONTOSO.id, [RUN_TYPE]: RunType.BackupSetCreate });
    expect(new Set(collector.spans.filter((span) => span.attributes[RUN_ID] === runId).map((span) => span.traceId))).toEqual(new Set([start!.traceId]));
    expect(spans.filter((span) => !span.parentSpanId)).toEqual([start]);
    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(['gateway', 'run-service', 'capture-worker', 'notifier']));

    // The path, parent by parent.
    const children = (parent: CollectedSpan, match: Partial<Pick<CollectedSpan, 'service' | 'kind' | 'name'>>, where: (span: CollectedSpan) => boolean = () => true) => {
      const found = spans.filter((span) => span.parentSpanId === parent.spanId && Object.entries(match).every(([key, value]) => span[key as keyof CollectedSpan] === value) && where(span));
      expect(found.length).toBeGreaterThan(0);
      return found;
    };
    const child = (...args: Parameters<typeof children>) => children(...args)[0];
    const destination = (part: string) => (span: CollectedSpan) => String(span.attributes['messaging.destination.name']).includes(part);

    const startRequest = child(start!, { service: 'gateway', kind: OtlpSpanKind.client, name: 'rpc.runs.start.v1' });
    const startHandled = child(startRequest, { service: 'run-service', kind: OtlpSpanKind.server, name: 'rpc.runs.start.v1' });
    expect(startHandled.attributes).toMatchObject({ [RUN_ID]: runId, [TENANT_ID]: CONTOSO.id, [RUN_TYPE]: RunType.BackupSetCreate });
    const commandSent = child(startHandled, { service: 'run-service', kind: OtlpSpanKind.producer, name: 'outbox publish' }, destination('.cmd.capture.'));
    const command = child(commandSent, { service: 'capture-worker', kind: OtlpSpanKind.consumer });
    expect(command.attributes).toMatchObject({ [RUN_ID]: runId, [TENANT_ID]: CONTOSO.id, [RUN_TYPE]: RunType.BackupSetCreate, 'messaging.consumer.group.name': 'capture-worker' });

    // The worker's run check, its Graph requests (by path template: no ids, no query), its events.
    child(child(command, { service: 'capture-worker', kind: OtlpSpanKind.client, name: 'rpc.runs.get.v1' }), { service: 'run-service', kind: OtlpSpanKind.server });
    const graphRequests = children(command, { service: 'capture-worker', kind: OtlpSpanKind.client }, (span) => span.attributes['url.template'] !== undefined);
    expect(graphRequests.map((span) => span.name)).toEqual(expect.arrayContaining(['GET /beta/deviceManagement/deviceConfigurations', 'POST /beta/$batch']));
    for (const request of graphRequests) {
      expect(request.attributes).toMatchObject({ 'http.response.status_code': 200, 'policyvault.directory_id': CONTOSO.directoryId });
      expect(request.name).not.toMatch(GUID);
      expect(String(request.attributes['url.path'])).not.toContain('?');
    }
    child(command, { service: 'capture-worker', kind: OtlpSpanKind.producer, name: 'worker-event publish' }, destination('.evt.worker.run-finished.'));

    // The success notification, parent by parent back to the command: the notifier's write, its consumer, the
    // relay of the status event, run-service applying the worker event that ended the run (run-finished, or an
    // item it was waiting for), that event's publish by the worker.
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const parent = (span: CollectedSpan) => byId.get(span.parentSpanId ?? '')!;
    const notified = spans.find((span) => span.name === 'notification record' && span.attributes['policyvault.run_status'] === RunStatus.Succeeded)!;
    expect(notified.attributes).toMatchObject({ [RUN_ID]: runId, 'policyvault.notifications_created': 1 });
    const statusReceived = parent(notified);
    expect(statusReceived).toMatchObject({ service: 'notifier', kind: OtlpSpanKind.consumer });
    expect(statusReceived.attributes).toMatchObject({ [RUN_ID]: runId, [TENANT_ID]: CONTOSO.id, [RUN_TYPE]: RunType.BackupSetCreate });
    const statusSent = parent(statusReceived);
    expect(statusSent).toMatchObject({ service: 'run-service', kind: OtlpSpanKind.producer, name: 'outbox publish' });
    expect(destination('.evt.run.status.v1.')(statusSent)).toBe(true);
    const applied = parent(statusSent);
    expect(applied).toMatchObject({ service: 'run-service', kind: OtlpSpanKind.consumer });
    expect(applied.attributes).toMatchObject({ [RUN_ID]: runId, [TENANT_ID]: CONTOSO.id });
    const eventSent = parent(applied);
    expect(eventSent).toMatchObject({ service: 'capture-worker', kind: OtlpSpanKind.producer, name: 'worker-event publish' });
    expect(parent(eventSent)).toBe(command);
    // The "queued" event is written with the start: its notification continues the start's span.
    const queuedSent = child(startHandled, { service: 'run-service', kind: OtlpSpanKind.producer, name: 'outbox publish' }, destination('.evt.run.status.v1.'));
    child(child(queuedSent, { service: 'notifier', kind: OtlpSpanKind.consumer }), { name: 'notification record' }, (span) => span.attributes['policyvault.run_status'] === RunStatus.Queued);

    // Nothing secret travels in spans.
    const exported = JSON.stringify(collector.spans);
    expect(exported).not.toContain(DEMO_GRAPH_APP.clientSecret);
    expect(exported).not.toMatch(/bearer|eyJ[A-Za-z0-9_-]{10,}|client_secret|access_token/i);
  });
});

// Drift detection and version compare end to end (issue 12): gateway → run-service → JetStream →
// restore-worker (drift.check) → Graph emulator, with the baseline made by the real capture-worker,
// owners notified by the real notifier (asking the gateway for the tenant's owners), and schedules
// dispatched by run-service's manual clock. The emulator's journal proves a drift check never writes.
import {
  BackupScheduleRpc,
  NotificationRpc,
  RunStatus,
  RunType,
  type BackupScheduleView,
  type DispatchSchedulesReply,
  type DriftCheckSummary,
  type DriftItemView,
  type DriftReportPage,
  type DriftReportView,
  type NotificationPage,
  type Page,
  type PolicyVersionComparison,
  type PolicyVersionSummary,
  type PolicyView,
  type RunView,
  type ScheduleRunView,
} from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, FABRIKAM, connectNatsRpc, gatewayRuns, graphEmulatorEnv, startStack, waitFor, type GatewayRuns, type NatsRpc, type Stack } from '@policyvault/testing';

const POLICIES = { deviceConfiguration: 3, settingsCatalogPolicy: 2 };
const OWNER_ID = '5d1b7a10-0000-4000-8000-000000000001';
const OPERATOR_ID = '5d1b7a10-0000-4000-8000-000000000002';
const UI_BASE_URL = 'https://pv.example.test';

type GraphObject = Record<string, unknown>;

describe('drift checks and version compare (gateway, run-service, capture-worker, restore-worker, notifier, emulator)', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let runs: GatewayRuns;
  let rpc: NatsRpc;
  let baselineId: string;
  let baselineRunId: string;
  const tokens: Record<string, string> = {};

  const objects = (type: string) => emulator.admin.listObjects(CONTOSO.directoryId, type)!;

  async function api<T>(path: string, email = 'reader@contoso.test', init: { method?: string; body?: object } = {}): Promise<{ status: number; body: T }> {
    const response = await fetch(`${stack.gatewayUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${tokens[email]}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** A drift.check run started by the operator, finished, with its summary. */
  async function driftCheck(target: object = {}): Promise<{ run: RunView; summary: DriftCheckSummary }> {
    const { reply } = await runs.start(CONTOSO.id, { type: RunType.DriftCheck, target, scope: {} });
    const run = await runs.waitUntilTerminal(CONTOSO.id, reply.run.id);
    expect(run.status).toBe(RunStatus.Succeeded);
    return { run, summary: run.summary as unknown as DriftCheckSummary };
  }

  async function reportItems(reportId: string, status?: string): Promise<DriftItemView[]> {
    const items: DriftItemView[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: '2', ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) });
      const page: { status: number; body: DriftReportPage } = await api<DriftReportPage>(`/api/tenants/${CONTOSO.id}/drift-reports/${reportId}?${query}`);
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  }

  const notificationsOf = (userId: string) => rpc.request<NotificationPage>(NotificationRpc.list, { userId, visibleTenantIds: [CONTOSO.id], limit: 200 });

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: POLICIES } });
    emulator.admin.resetTenant(FABRIKAM.directoryId, { displayName: 'Fabrikam', seed: { policiesPerType: 0, counts: {} } });
    stack = await startStack({
      services: ['run-service', 'capture-worker', 'restore-worker', 'notifier', 'gateway'],
      env: { ...graphEmulatorEnv(emulator.url), UI_BASE_URL, SCHEDULER_CLOCK: 'manual' },
    });
    for (const email of ['owner@contoso.test', 'operator@contoso.test', 'reader@contoso.test', 'owner@fabrikam.test']) tokens[email] = await stack.token(email);
    runs = gatewayRuns(stack.gatewayUrl, tokens['operator@contoso.test']);
    rpc = await connectNatsRpc(stack.nats.namespace);

    const { reply } = await runs.start(CONTOSO.id, { type: RunType.BackupSetCreate, target: { name: 'Baseline' }, scope: { policyTypes: Object.keys(POLICIES) } });
    const backup = await runs.waitUntilTerminal(CONTOSO.id, reply.run.id);
    expect(backup).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 5, succeeded: 5 } });
    baselineId = String(backup.summary?.backupSetId);
    baselineRunId = backup.id;
  }, 120_000);

  afterAll(async () => {
    await rpc?.close();
    await stack?.close();
    await emulator?.close();
  });

  it('an unchanged tenant has no drift: every baseline policy unchanged, nothing written, no drift notification', async () => {
    const before = emulator.journal.lastSeq;
    const { run, summary } = await driftCheck();
    // The agreed drift summary (ISSUE12.md); the worker runtime adds its item counts and worker id.
    expect(summary).toMatchObject({ reportId: expect.any(String), baselineBackupSetId: baselineId, driftStatus: 'none', added: 0, removed: 0, changed: 0, unchanged: 5 });
    expect(emulator.journal.writes({ tenant: CONTOSO.directoryId, sinceSeq: before })).toEqual([]);
    const items = await reportItems(summary.reportId);
    expect(items).toHaveLength(5);
    expect(items.every((item) => item.status === 'unchanged' && item.differences.length === 0 && item.liveId !== null)).toBe(true);
    // The operator who started it hears "finished" as for any run; the owner hears nothing.
    const done = await waitFor(() => notificationsOf(OPERATOR_ID), (page) => page.items.some((item) => item.runId === run.id && item.status === RunStatus.Succeeded), { what: "the operator's notification" });
    expect(done.items.find((item) => item.runId === run.id && item.status === RunStatus.Succeeded)).toMatchObject({ title: 'Drift check finished' });
    expect((await notificationsOf(OWNER_ID)).items.filter((item) => item.runId === run.id)).toEqual([]);
  });

  it('a reordered settings array is not drift', async () => {
    const [catalog] = objects('settingsCatalogPolicy');
    const settings = [...(catalog.settings as GraphObject[])].reverse();
    expect(settings.length).toBeGreaterThan(1);
    emulator.admin.patchObject(CONTOSO.directoryId, 'settingsCatalogPolicy', String(catalog.id), { settings });
    const { summary } = await driftCheck({ backupSetId: baselineId });
    expect(summary).toMatchObject({ driftStatus: 'none', changed: 0, unchanged: 5 });
  });

  it('a changed value, a removed policy and an added policy are exactly those three, with the diff; owners notified once per report', async () => {
    const [changed, removed, template] = objects('deviceConfiguration');
    emulator.admin.patchObject(CONTOSO.directoryId, 'deviceConfiguration', String(changed.id), { description: 'changed in the portal' });
    emulator.admin.deleteObject(CONTOSO.directoryId, 'deviceConfiguration', String(removed.id));
    const added = emulator.admin.putObject(CONTOSO.directoryId, 'deviceConfiguration', { ...structuredClone(template), id: '7e1c0a55-0000-4000-8000-00000000a001', displayName: 'Added in the portal' })!;

    const { run, summary } = await driftCheck();
    expect(summary).toMatchObject({ reportId: expect.any(String), baselineBackupSetId: baselineId, driftStatus: 'drifted', added: 1, removed: 1, changed: 1, unchanged: 3 });
    const items = await reportItems(summary.reportId);
    const drifted = items.filter((item) => item.status !== 'unchanged');
    expect(drifted).toHaveLength(3);
    // Baseline policies in baseline order, then the added ones.
    expect(drifted[2].status).toBe('added');
    expect(drifted).toEqual(expect.arrayContaining([
      expect.objectContaining({ status: 'changed', liveId: changed.id, displayName: changed.displayName, differences: [{ path: 'description', live: 'changed in the portal', snapshot: changed.description }] }),
      expect.objectContaining({ status: 'removed', liveId: null, displayName: removed.displayName, differences: [] }),
      expect.objectContaining({ status: 'added', liveId: added.id, displayName: 'Added in the portal', backupItemId: null }),
    ]));
    expect((await reportItems(summary.reportId, 'removed')).map((item) => item.displayName)).toEqual([removed.displayName]);

    const list = await api<Page<DriftReportView>>(`/api/tenants/${CONTOSO.id}/drift-reports?limit=1`);
    expect(list).toMatchObject({ status: 200, body: { items: [{ id: summary.reportId, runId: run.id, driftStatus: 'drifted', state: 'complete', counts: { added: 1, removed: 1, changed: 1, unchanged: 3 } }] } });
    expect(list.body.nextCursor).toEqual(expect.any(String));

    // The owner (not the initiator) gets one notification for the report; the operator gets the same text for their run.
    const ownerPage = await waitFor(() => notificationsOf(OWNER_ID), (page) => page.items.some((item) => item.runId === run.id), { what: "the owner's drift notification" });
    const expected = {
      title: 'Drift detected',
      body: '1 changed, 1 removed, 1 added since the baseline backup.',
      link: `${UI_BASE_URL}/tenants/${CONTOSO.id}/drift-reports/${summary.reportId}`,
    };
    expect(ownerPage.items.filter((item) => item.runId === run.id)).toEqual([expect.objectContaining(expected)]);
    const operatorPage = await waitFor(() => notificationsOf(OPERATOR_ID), (page) => page.items.some((item) => item.runId === run.id && item.status === RunStatus.Succeeded), { what: "the operator's notification" });
    expect(operatorPage.items.find((item) => item.runId === run.id && item.status === RunStatus.Succeeded)).toMatchObject(expected);
    const { rows } = await stack.database.pool.query(`SELECT user_id, count(*)::int AS count FROM notifier.notifications WHERE run_id = $1 AND title = 'Drift detected' GROUP BY user_id ORDER BY user_id`, [run.id]);
    expect(rows).toEqual([
      { user_id: OWNER_ID, count: 1 },
      { user_id: OPERATOR_ID, count: 1 },
    ]);
  });

  it('reports are tenant-scoped: another tenant\'s member gets 403, also for the report id through their own tenant; a reader may read', async () => {
    const [report] = (await api<Page<DriftReportView>>(`/api/tenants/${CONTOSO.id}/drift-reports`)).body.items;
    expect((await api(`/api/tenants/${CONTOSO.id}/drift-reports/${report.id}`, 'owner@fabrikam.test')).status).toBe(403);
    expect((await api(`/api/tenants/${FABRIKAM.id}/drift-reports/${report.id}`, 'owner@fabrikam.test')).status).toBe(403);
    expect((await api(`/api/tenants/${CONTOSO.id}/drift-reports/${report.id}?status=moved`)).status).toBe(400);
    // Readers may read reports but not start a drift check (operators and up).
    const start = await api(`/api/tenants/${CONTOSO.id}/runs`, 'reader@contoso.test', { method: 'POST', body: { type: RunType.DriftCheck, target: {}, scope: {} } });
    expect(start.status).toBe(403);
  });

  it('compares two stored versions of a policy with the same diff', async () => {
    const [changed] = objects('deviceConfiguration');
    const policies = (await api<Page<PolicyView>>(`/api/tenants/${CONTOSO.id}/policies?policyType=deviceConfiguration&limit=200`)).body.items;
    const policy = policies.find((candidate) => candidate.graphId === changed.id)!;
    const { reply } = await runs.start(CONTOSO.id, { type: RunType.PolicyCaptureSnapshot, target: { policyId: policy.id }, scope: {} });
    expect((await runs.waitUntilTerminal(CONTOSO.id, reply.run.id)).status).toBe(RunStatus.Succeeded);
    const versions = (await api<Page<PolicyVersionSummary>>(`/api/tenants/${CONTOSO.id}/policies/${policy.id}/versions`)).body.items;
    expect(versions).toHaveLength(2);
    const [newer, older] = versions;

    const comparison = await api<PolicyVersionComparison>(`/api/tenants/${CONTOSO.id}/policies/${policy.id}/versions/compare?from=${older.id}&to=${newer.id}`);
    expect(comparison).toMatchObject({ status: 200, body: { policyId: policy.id, policyType: 'deviceConfiguration', from: { id: older.id }, to: { id: newer.id } } });
    expect(comparison.body.differences).toEqual([{ path: 'description', live: 'changed in the portal', snapshot: expect.any(String) }]);
    const same = await api<PolicyVersionComparison>(`/api/tenants/${CONTOSO.id}/policies/${policy.id}/versions/compare?from=${older.id}&to=${older.id}`);
    expect(same.body.differences).toEqual([]);
    expect((await api(`/api/tenants/${CONTOSO.id}/policies/${policy.id}/versions/compare?from=${older.id}`)).status).toBe(400);
    expect((await api(`/api/tenants/${FABRIKAM.id}/policies/${policy.id}/versions/compare?from=${older.id}&to=${newer.id}`, 'owner@fabrikam.test')).status).toBe(403);
  });

  it('compares a stored version with the live object: to=live starts a capture run, its compareWhenDone names the changed field', async () => {
    const [, live] = objects('deviceConfiguration');
    const policies = (await api<Page<PolicyView>>(`/api/tenants/${CONTOSO.id}/policies?policyType=deviceConfiguration&limit=200`)).body.items;
    const policy = policies.find((candidate) => candidate.graphId === live.id)!;
    const [stored] = (await api<Page<PolicyVersionSummary>>(`/api/tenants/${CONTOSO.id}/policies/${policy.id}/versions`)).body.items;
    emulator.admin.patchObject(CONTOSO.directoryId, 'deviceConfiguration', String(live.id), { displayName: 'Renamed in the portal' });
    const compare = `/api/tenants/${CONTOSO.id}/policies/${policy.id}/versions/compare`;

    // Reading Graph is a capture run: a reader may not start one.
    expect((await api(`${compare}?from=${stored.id}&to=live`)).status).toBe(403);
    const started = await api<{ run: RunView; reused: boolean; compareWhenDone: string }>(`${compare}?from=${stored.id}&to=live`, 'operator@contoso.test');
    expect(started).toMatchObject({ status: 202, body: { reused: false, run: { type: RunType.PolicyCaptureSnapshot, target: { policyId: policy.id } } } });
    const { run, compareWhenDone } = started.body;
    expect(compareWhenDone).toBe(`${compare}?from=${stored.id}&to=run%3A${run.id}`);
    // Until the run has ended the answer is 409 (unless the worker was quicker than this request).
    const early = await api(compareWhenDone);
    expect([200, 409]).toContain(early.status);

    expect((await runs.waitUntilTerminal(CONTOSO.id, run.id)).status).toBe(RunStatus.Succeeded);
    const comparison = await api<PolicyVersionComparison>(compareWhenDone);
    expect(comparison).toMatchObject({ status: 200, body: { policyId: policy.id, from: { id: stored.id }, to: { capturedByRunId: run.id } } });
    expect(comparison.body.differences).toEqual([{ path: 'displayName', live: 'Renamed in the portal', snapshot: live.displayName }]);

    // A run that is not a capture of this policy is 404.
    expect((await api(`${compare}?from=${stored.id}&to=run:${baselineRunId}`)).status).toBe(404);
  });

  it('a schedule with action drift_check starts a drift check for its slot, once', async () => {
    const created = await api<BackupScheduleView>(`/api/tenants/${CONTOSO.id}/backup-schedules`, 'owner@contoso.test', {
      method: 'POST',
      body: { name: 'Nightly drift', frequency: 'daily', timeOfDay: '03:15', timeZone: 'UTC', keepLast: 3, action: 'drift_check' },
    });
    expect(created).toMatchObject({ status: 201, body: { action: 'drift_check' } });
    expect((await api(`/api/tenants/${CONTOSO.id}/backup-schedules`, 'owner@contoso.test', { method: 'POST', body: { name: 'Bad', frequency: 'daily', timeOfDay: '03:15', timeZone: 'UTC', keepLast: 3, action: 'compare' } })).status).toBe(400);

    const slot = created.body.nextRunAt!;
    const reply = await rpc.request<DispatchSchedulesReply>(BackupScheduleRpc.dispatch, { now: slot });
    expect(reply.dispatched).toBeGreaterThanOrEqual(1);
    // The same slot again dispatches nothing more.
    await rpc.request<DispatchSchedulesReply>(BackupScheduleRpc.dispatch, { now: slot });
    const history = (await api<Page<ScheduleRunView>>(`/api/tenants/${CONTOSO.id}/backup-schedules/${created.body.id}/runs`, 'owner@contoso.test')).body.items;
    expect(history).toEqual([expect.objectContaining({ slot, runId: expect.any(String) })]);
    const run = await runs.waitUntilTerminal(CONTOSO.id, history[0].runId!);
    expect(run).toMatchObject({ type: RunType.DriftCheck, status: RunStatus.Succeeded, summary: { baselineBackupSetId: baselineId, driftStatus: 'drifted' } });
  });

  it('a schedule with action backup_then_drift_check backs up, then checks drift against its previous backup (none after its first)', async () => {
    const created = await api<BackupScheduleView>(`/api/tenants/${CONTOSO.id}/backup-schedules`, 'owner@contoso.test', {
      method: 'POST',
      body: { name: 'Nightly backup and drift', frequency: 'daily', timeOfDay: '04:45', timeZone: 'UTC', keepLast: 3, policyTypes: ['deviceConfiguration'], action: 'backup_then_drift_check' },
    });
    expect(created.status).toBe(201);
    const driftRuns = async () => (await api<Page<RunView>>(`/api/tenants/${CONTOSO.id}/runs?type=${RunType.DriftCheck}&limit=200`)).body.items;
    const slotRun = async (slot: string) => {
      await rpc.request<DispatchSchedulesReply>(BackupScheduleRpc.dispatch, { now: slot });
      const history = (await api<Page<ScheduleRunView>>(`/api/tenants/${CONTOSO.id}/backup-schedules/${created.body.id}/runs`, 'owner@contoso.test')).body.items;
      const entry = history.find((candidate) => candidate.slot === slot)!;
      return runs.waitUntilTerminal(CONTOSO.id, entry.runId!);
    };
    const checksBefore = (await driftRuns()).length;
    const first = await slotRun(created.body.nextRunAt!);
    expect(first).toMatchObject({ type: RunType.BackupScheduleRun, status: RunStatus.Succeeded });
    expect((await driftRuns()).length).toBe(checksBefore);

    const [changed] = objects('deviceConfiguration');
    emulator.admin.patchObject(CONTOSO.directoryId, 'deviceConfiguration', String(changed.id), { description: 'changed between two backups' });
    const second = await slotRun(new Date(Date.parse(created.body.nextRunAt!) + 24 * 60 * 60 * 1000).toISOString());
    expect(second.status).toBe(RunStatus.Succeeded);
    const check = await waitFor(driftRuns, (items) => items.length === checksBefore + 1, { what: 'the drift check after the second backup' });
    const run = await runs.waitUntilTerminal(CONTOSO.id, check[0].id);
    expect(run).toMatchObject({ target: { backupSetId: first.summary?.backupSetId }, status: RunStatus.Succeeded, summary: { driftStatus: 'drifted', changed: 1 } });
  });
});

// Backup schedule runs (issue 7, spec 032) end to end: schedules created through the gateway, slots fired
// through run-service's BackupScheduleRpc.dispatch (SCHEDULER_CLOCK=manual), the runs executed by the
// capture-worker against the Graph emulator. Each slot syncs its types and makes an immutable set named
// after the schedule and the slot; retention keeps the schedule's newest N sets and never touches a set
// made by hand; an unknown policy type is a skipped item; history and audit show every step.
import {
  BackupScheduleRpc,
  BackupStoreRpc,
  RunStatus,
  RunType,
  type AuditEventView,
  type BackupScheduleView,
  type BackupSetView,
  type DispatchSchedulesReply,
  type Page,
  type PolicyVersionSummary,
  type PolicyView,
  type RunView,
  type ScheduleRunView,
} from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, connectNatsRpc, gatewayRuns, graphEmulatorEnv, startStack, type GatewayRuns, type NatsRpc, type Stack } from '@policyvault/testing';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('backup schedule runs with retention (run-service on a manual clock, capture-worker, gateway, Graph emulator)', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let rpc: NatsRpc;
  let runs: GatewayRuns;
  let ownerToken: string;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: { deviceConfiguration: 4, compliancePolicy: 3 } } });
    stack = await startStack({
      services: ['run-service', 'capture-worker', 'gateway'],
      env: { ...graphEmulatorEnv(emulator.url), SCHEDULER_CLOCK: 'manual' },
    });
    rpc = await connectNatsRpc(stack.nats.namespace);
    ownerToken = await stack.token('owner@contoso.test');
    runs = gatewayRuns(stack.gatewayUrl, ownerToken);
  }, 180_000);

  afterAll(async () => {
    await rpc?.close();
    await stack?.close();
    await emulator?.close();
  });

  async function api<T>(method: string, path: string, body?: object): Promise<{ status: number; body: T }> {
    const response = await fetch(`${stack.gatewayUrl}/api/tenants/${CONTOSO.id}${path}`, {
      method: method.toUpperCase(),
      headers: { authorization: `Bearer ${ownerToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  async function createSchedule(body: object): Promise<BackupScheduleView> {
    const created = await api<BackupScheduleView>('post', '/backup-schedules', { frequency: 'daily', timeOfDay: '01:30', timeZone: 'UTC', ...body });
    expect(created.status).toBe(201);
    return created.body;
  }

  const history = async (scheduleId: string) => (await api<Page<ScheduleRunView>>('get', `/backup-schedules/${scheduleId}/runs?limit=50`)).body.items;

  /** Fires the schedule's slot at `slot` and waits for its run to end. */
  async function runSlot(scheduleId: string, slot: string): Promise<RunView> {
    const reply = await rpc.request<DispatchSchedulesReply>(BackupScheduleRpc.dispatch, { now: slot });
    expect(reply.dispatched).toBeGreaterThanOrEqual(1);
    const entry = (await history(scheduleId)).find((candidate) => candidate.slot === slot);
    expect(entry?.runId).toEqual(expect.any(String));
    return runs.waitUntilTerminal(CONTOSO.id, entry!.runId!);
  }

  const backupSet = (backupSetId: unknown) => rpc.request<BackupSetView>(BackupStoreRpc.getBackupSet, { tenantId: CONTOSO.id, backupSetId });
  const versionsOf = async (policyId: string) =>
    (await rpc.request<Page<PolicyVersionSummary>>(BackupStoreRpc.listPolicyVersions, { tenantId: CONTOSO.id, policyId, limit: 50 })).items.map((version) => version.id);

  it('keepLast 3 after five slots: the three newest schedule sets remain, the hand-made set is untouched, unreferenced versions go', async () => {
    // A set made by hand first: it shares every policy's first version with the schedule's first set.
    const manual = await runs.start(CONTOSO.id, { type: RunType.BackupSetCreate, target: { name: 'By hand' }, scope: { policyTypes: ['deviceConfiguration'] } });
    const manualRun = await runs.waitUntilTerminal(CONTOSO.id, manual.reply.run.id);
    expect(manualRun.status).toBe(RunStatus.Succeeded);
    const manualSetId = String(manualRun.summary?.backupSetId);

    const schedule = await createSchedule({ name: 'Nightly', policyTypes: ['deviceConfiguration'], keepLast: 3 });
    const [changing] = (await rpc.request<Page<PolicyView>>(BackupStoreRpc.listPolicies, { tenantId: CONTOSO.id, policyType: 'deviceConfiguration', limit: 1 })).items;
    const slots = Array.from({ length: 5 }, (_, index) => new Date(Date.parse(schedule.nextRunAt!) + index * DAY_MS).toISOString());
    const finished: RunView[] = [];
    for (const [index, slot] of slots.entries()) {
      // From the second slot on, one policy changes before each run: each of those runs stores a new version of it.
      if (index > 0) emulator.admin.patchObject(CONTOSO.directoryId, 'deviceConfiguration', changing.graphId, { description: `change ${index}` });
      finished.push(await runSlot(schedule.id, slot));
    }
    expect(finished.map((run) => run.status)).toEqual(Array(5).fill(RunStatus.Succeeded));
    const setIds = finished.map((run) => String(run.summary?.backupSetId));
    expect(new Set(setIds).size).toBe(5);

    const secondRunItems = await runs.items(CONTOSO.id, finished[1].id);
    const changedVersionOfRun2 = secondRunItems.find((item) => item.itemKey === `policy:${changing.id}`)?.result?.versionId as string;
    expect(secondRunItems.find((item) => item.itemKey === `policy:${changing.id}`)).toMatchObject({ outcome: 'captured' });

    // Retention after runs 4 and 5: the first two sets went; set 1's versions live on in the hand-made set,
    // set 2's new version of the changed policy had nothing else pointing at it.
    expect(finished.map((run) => run.summary?.retention)).toEqual([
      { keepLast: 3, removedBackupSetIds: [], removedVersions: 0 },
      { keepLast: 3, removedBackupSetIds: [], removedVersions: 0 },
      { keepLast: 3, removedBackupSetIds: [], removedVersions: 0 },
      { keepLast: 3, removedBackupSetIds: [setIds[0]], removedVersions: 0 },
      { keepLast: 3, removedBackupSetIds: [setIds[1]], removedVersions: 1 },
    ]);
    const sets = (await rpc.request<Page<BackupSetView>>(BackupStoreRpc.listBackupSets, { tenantId: CONTOSO.id, limit: 50 })).items;
    expect(sets.map((set) => set.id).sort()).toEqual([manualSetId, ...setIds.slice(2)].sort());
    for (const [index, setId] of setIds.slice(2).entries()) {
      expect(await backupSet(setId)).toMatchObject({ name: `Nightly — ${slots[index + 2].slice(0, 16).replace('T', ' ')} UTC`, status: 'complete', itemCount: 4 });
    }
    expect(await backupSet(manualSetId)).toMatchObject({ name: 'By hand', status: 'complete', itemCount: 4, createdByRunId: manualRun.id });
    for (const removed of setIds.slice(0, 2)) {
      expect(await rpc.requestError(BackupStoreRpc.getBackupSet, { tenantId: CONTOSO.id, backupSetId: removed })).toMatchObject({ code: 'not_found' });
      expect(await rpc.requestError(BackupStoreRpc.listBackupItems, { tenantId: CONTOSO.id, backupSetId: removed })).toMatchObject({ code: 'not_found' });
    }
    const removedItems = await stack.database.pool.query(`SELECT count(*)::int AS count FROM capture.backup_items WHERE backup_set_id = ANY($1::uuid[])`, [setIds.slice(0, 2)]);
    expect(removedItems.rows[0].count).toBe(0);
    // The changed policy: its first version (the hand-made set's), and those of runs 3, 4, 5 remain.
    const versions = await versionsOf(changing.id);
    expect(versions).toHaveLength(4);
    expect(versions).not.toContain(changedVersionOfRun2);

    // History: every slot with its status and the set it made.
    const entries = await history(schedule.id);
    expect(entries.map((entry) => [entry.slot, entry.status, entry.backupSetId])).toEqual(
      slots.map((slot, index) => [slot, 'succeeded', setIds[index]]).reverse(),
    );
  });

  it('skips an unknown policy type with a reason and still succeeds; dispatch, run and retention are audited', async () => {
    const schedule = await createSchedule({ name: 'Compliance', policyTypes: ['compliancePolicy'], keepLast: 2, timeOfDay: '03:00' });
    // The API refuses unknown types; a type the registry dropped since can still be in the table.
    await stack.database.pool.query(`UPDATE run_service.backup_schedules SET policy_types = $2 WHERE id = $1`, [schedule.id, ['compliancePolicy', 'toasterSettings']]);

    const run = await runSlot(schedule.id, schedule.nextRunAt!);
    expect(run).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 4, succeeded: 3, failed: 0, skipped: 1 } });
    expect(run.summary).toMatchObject({ skippedPolicyTypes: ['toasterSettings'], retention: { keepLast: 2, removedBackupSetIds: [], removedVersions: 0 } });
    expect((await runs.items(CONTOSO.id, run.id)).find((item) => item.itemKey === 'type:toasterSettings')).toMatchObject({
      status: 'skipped',
      outcome: 'unsupported',
      error: { code: 'unsupported_policy_type', context: { policyType: 'toasterSettings' } },
    });
    expect(await backupSet(run.summary?.backupSetId)).toMatchObject({ status: 'complete', itemCount: 3 });

    const audit = await api<Page<AuditEventView>>('get', `/audit-events?scheduleId=${schedule.id}`);
    expect(audit.status).toBe(200);
    const byAction = new Map(audit.body.items.map((event) => [event.action, event]));
    expect([...byAction.keys()]).toEqual(expect.arrayContaining(['backup_schedule.dispatched', 'backup_schedule.run_finished', 'backup_schedule.retention_applied']));
    expect(byAction.get('backup_schedule.run_finished')).toMatchObject({
      runId: run.id,
      details: { status: 'succeeded', backupSetId: run.summary?.backupSetId, skippedPolicyTypes: ['toasterSettings'] },
    });
    expect(byAction.get('backup_schedule.retention_applied')).toMatchObject({ runId: run.id, details: { keepLast: 2, removedBackupSetIds: [], removedVersions: 0 } });
    expect((await history(schedule.id))[0]).toMatchObject({ slot: schedule.nextRunAt, status: 'succeeded', runId: run.id, backupSetId: run.summary?.backupSetId });
  });
});

// A drift check whose restore-worker is killed (SIGKILL) between two pages of its baseline, while a newer
// backup set completes and the tenant changes: the redelivery (another replica, after the command ack
// wait) keeps the first delivery's baseline and reports what the first delivery stored as it stored it,
// so the run's items and the drift report agree and never mix two baselines.
import { readFileSync } from 'node:fs';
import { RunStatus, RunType, type DriftCheckSummary } from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, gatewayRuns, graphEmulatorEnv, startStack, waitFor, type GatewayRuns, type Stack } from '@policyvault/testing';

// More than one page (200) of baseline items.
const POLICIES = { deviceConfiguration: 330 };
const WINDOWS = '#microsoft.graph.windows10GeneralConfiguration';

describe('a drift check redelivered after its worker was killed', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let contoso: GatewayRuns;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: POLICIES } });
    stack = await startStack({ services: ['run-service', 'gateway', 'capture-worker', 'restore-worker', 'restore-worker'], env: graphEmulatorEnv(emulator.url) });
    contoso = gatewayRuns(stack.gatewayUrl, await stack.token('owner@contoso.test'));
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await emulator?.close();
  });

  const query = async <T>(sql: string, parameters: unknown[]) => (await stack.database.pool.query(sql, parameters)).rows as T[];

  async function backup(name: string): Promise<string> {
    const { reply } = await contoso.start(CONTOSO.id, { type: RunType.BackupSetCreate, target: { name }, scope: { policyTypes: ['deviceConfiguration'] } });
    const run = await contoso.waitUntilTerminal(CONTOSO.id, reply.run.id, { timeoutMs: 60_000 });
    expect(run.status).toBe(RunStatus.Succeeded);
    return String(run.summary?.backupSetId);
  }

  it('keeps its first baseline and what it stored; the run and the report agree', async () => {
    const firstSet = await backup('Baseline');
    emulator.admin.setFaults(CONTOSO.directoryId, { latencyMs: { min: 300, max: 300 } });
    const { reply } = await contoso.start(CONTOSO.id, { type: RunType.DriftCheck, target: {}, scope: {} });
    const runId = reply.run.id;
    // The first page compared and stored, the second not yet.
    await waitFor(
      async () => (await query<{ stored: number }>(`SELECT count(*)::int AS stored FROM restore.drift_items i JOIN restore.drift_reports r ON r.id = i.report_id WHERE r.run_id = $1`, [runId]))[0].stored,
      (stored) => stored >= 200,
      { what: 'the first page of the drift report', timeoutMs: 60_000, intervalMs: 20 },
    );
    const holder = stack.services.filter((service) => service.name.startsWith('restore-worker')).find((worker) => readFileSync(worker.logFile, 'utf8').includes(runId))!;
    await holder.kill();
    const killedAt = Date.now();
    emulator.admin.setFaults(CONTOSO.directoryId, undefined);
    const stored = await query<{ itemKey: string; status: string }>(
      `SELECT i.item_key AS "itemKey", i.status FROM restore.drift_items i JOIN restore.drift_reports r ON r.id = i.report_id WHERE r.run_id = $1`,
      [runId],
    );
    expect(stored.length).toBeLessThan(330);

    // Meanwhile: an object compared as unchanged is changed, one is created, and a newer set completes.
    const unchangedKey = stored.find((item) => item.status === 'unchanged')!.itemKey;
    const [{ graphId }] = await query<{ graphId: string }>(
      `SELECT p.graph_id AS "graphId" FROM capture.backup_items i JOIN capture.policies p ON p.id = i.policy_id WHERE i.id = $1`,
      [unchangedKey.slice('backup-item:'.length)],
    );
    emulator.admin.patchObject(CONTOSO.directoryId, 'deviceConfiguration', graphId, { description: 'changed after it was compared' });
    const created = emulator.admin.putObject(CONTOSO.directoryId, 'deviceConfiguration', { '@odata.type': WINDOWS, displayName: 'Created meanwhile', roleScopeTagIds: ['0'], passwordRequired: true })!;
    const newerSet = await backup('Newer');
    await stack.start('restore-worker');

    const run = await contoso.waitUntilTerminal(CONTOSO.id, runId, { timeoutMs: 90_000 });
    console.log(`drift check redelivery: the run ended ${Date.now() - killedAt} ms after the SIGKILL (${stored.length} items stored before it)`);
    expect(run.status).toBe(RunStatus.Succeeded);
    const summary = run.summary as unknown as DriftCheckSummary;
    expect(summary.baselineBackupSetId).toBe(firstSet);
    expect(summary.baselineBackupSetId).not.toBe(newerSet);

    // Every baseline item once, plus the object created before the (redelivered) listing of added objects.
    const items = await contoso.items(CONTOSO.id, runId);
    const firstSetItems = await query<{ id: string }>(`SELECT id FROM capture.backup_items WHERE backup_set_id = $1`, [firstSet]);
    expect(items.filter((item) => item.itemKey.startsWith('backup-item:')).map((item) => item.itemKey).sort()).toEqual(firstSetItems.map((item) => `backup-item:${item.id}`).sort());
    expect(items.filter((item) => item.itemKey.startsWith('live:')).map((item) => item.itemKey)).toEqual([`live:deviceConfiguration:${created.id}`]);
    // The run's items say what the report says, item by item (the changed object stays as first compared).
    const report = await query<{ itemKey: string; status: string }>(
      `SELECT i.item_key AS "itemKey", i.status FROM restore.drift_items i JOIN restore.drift_reports r ON r.id = i.report_id WHERE r.run_id = $1`,
      [runId],
    );
    expect(Object.fromEntries(items.map((item) => [item.itemKey, item.outcome]))).toEqual(Object.fromEntries(report.map((item) => [item.itemKey, item.status])));
    expect(items.find((item) => item.itemKey === unchangedKey)?.outcome).toBe('unchanged');
    expect(summary).toMatchObject({ added: 1, changed: 0, removed: 0, unchanged: firstSetItems.length });
  }, 180_000);
});

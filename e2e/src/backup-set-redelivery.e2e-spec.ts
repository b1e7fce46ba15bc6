// A backup set whose worker is killed (SIGKILL) mid-set while the tenant changes: the command comes back
// to another replica after the command ack wait (the default, 15 s) and finishes exactly the selection the
// first delivery fixed: objects created since are not in the set, objects of the selection deleted since
// fail as not found, nothing is captured twice. Services run for real; the Graph emulator plays the tenant.
import { readFileSync } from 'node:fs';
import { RunStatus, RunType, SafeErrorCode } from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, gatewayRuns, graphEmulatorEnv, startStack, waitFor, type GatewayRuns, type ServiceProcess, type Stack } from '@policyvault/testing';

const POLICIES: Record<string, number> = { deviceConfiguration: 30, compliancePolicy: 20, remediationScript: 10, windowsPlatformScript: 10 };
// A selected type the tenant has nothing of: its empty listing is recorded with the run's other empty ones.
const TYPES = [...Object.keys(POLICIES), 'windowsDriverUpdateProfile'];
const WINDOWS = '#microsoft.graph.windows10GeneralConfiguration';

describe('a backup set redelivered after its worker was killed while the tenant changed', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let contoso: GatewayRuns;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: POLICIES } });
    // The command ack wait is the default: the figure printed below is what an operator gets.
    stack = await startStack({ services: ['run-service', 'gateway', 'capture-worker', 'capture-worker'], env: { ...graphEmulatorEnv(emulator.url), COMMAND_CONCURRENCY: '2' } });
    contoso = gatewayRuns(stack.gatewayUrl, await stack.token('owner@contoso.test'));
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await emulator?.close();
  });

  const workers = () => stack.services.filter((service) => service.name.startsWith('capture-worker'));
  const query = async <T>(sql: string, parameters: unknown[]) => (await stack.database.pool.query(sql, parameters)).rows as T[];

  /** Which replica received the run's command, when, and with which delivery count (from the JSON logs). */
  function deliveries(runId: string): { worker: ServiceProcess; deliveryCount: number; at: number }[] {
    return workers()
      .flatMap((worker) =>
        readFileSync(worker.logFile, 'utf8')
          .split('\n')
          .filter((line) => line.includes(runId) && line.includes('"run command received"'))
          .map((line) => ({ worker, deliveryCount: JSON.parse(line).deliveryCount as number, at: Date.parse(JSON.parse(line).time as string) })),
      )
      .sort((a, b) => a.deliveryCount - b.deliveryCount);
  }

  /** The run's recorded selection: each listed type's policies (inventory ids, Graph ids). */
  const selection = (runId: string) =>
    query<{ part: string; policyId: string; graphId: string }>(
      `SELECT s.part, p.id AS "policyId", p.graph_id AS "graphId"
       FROM capture.backup_set_selections s CROSS JOIN LATERAL unnest(s.policy_ids) AS selected(id) JOIN capture.policies p ON p.id = selected.id
       WHERE s.run_id = $1`,
      [runId],
    );
  const parts = async (runId: string) => (await query<{ part: string }>(`SELECT part FROM capture.backup_set_selections WHERE run_id = $1`, [runId])).map((row) => row.part).sort();
  const setItems = (runId: string) =>
    query<{ policyId: string }>(
      `SELECT i.policy_id AS "policyId" FROM capture.backup_items i JOIN capture.backup_sets s ON s.id = i.backup_set_id WHERE s.created_by_run_id = $1`,
      [runId],
    );

  it('finishes exactly the first listing: nothing new, deleted objects not found, no duplicates, on another replica', async () => {
    emulator.admin.setFaults(CONTOSO.directoryId, { latencyMs: { min: 400, max: 400 } });
    const { reply } = await contoso.start(CONTOSO.id, { type: RunType.BackupSetCreate, target: { name: 'Before the change' }, scope: { policyTypes: TYPES } });
    const runId = reply.run.id;
    // Every type listed and recorded, some items captured: the set is under way.
    await waitFor(
      async () => ({ parts: (await parts(runId)).length, items: (await setItems(runId)).length }),
      ({ parts, items }) => parts === TYPES.length && items >= 3,
      { what: 'every listing recorded and the first items captured', timeoutMs: 30_000 },
    );
    const [holder] = deliveries(runId);
    await holder.worker.kill();
    const killedAt = Date.now();
    const selected = await selection(runId);
    expect(await parts(runId)).toEqual(TYPES.map((type) => `type:${type}`).sort());
    expect(new Set(selected.map((row) => row.part)).size).toBe(TYPES.length - 1);
    const captured = new Set((await setItems(runId)).map((item) => item.policyId));
    expect(captured.size).toBeLessThan(selected.length);

    // The tenant changes while the command waits: three selected objects not captured yet and one captured
    // are deleted, five objects are created in the selected types.
    // (Any type's: a read's chunk — all of a type here — is added to the set at once.)
    const notYetCaptured = selected.filter((row) => !captured.has(row.policyId)).slice(0, 3);
    const alreadyCaptured = selected.find((row) => captured.has(row.policyId))!;
    expect(notYetCaptured).toHaveLength(3);
    for (const row of [...notYetCaptured, alreadyCaptured]) {
      const type = row.part.slice('type:'.length);
      expect(emulator.admin.deleteObject(CONTOSO.directoryId, type, row.graphId)).toBe(true);
    }
    const created = Array.from({ length: 5 }, (_, index) =>
      emulator.admin.putObject(CONTOSO.directoryId, 'deviceConfiguration', { '@odata.type': WINDOWS, displayName: `Created meanwhile ${index}`, roleScopeTagIds: ['0'], passwordRequired: true })!,
    );
    emulator.admin.setFaults(CONTOSO.directoryId, undefined);
    await stack.start('capture-worker'); // back to two live replicas

    const run = await contoso.waitUntilTerminal(CONTOSO.id, runId, { timeoutMs: 90_000 });
    const taken = deliveries(runId);
    console.log(
      `backup set redelivery: delivery 2 reached ${taken[1]?.worker.name} ${(taken[1]?.at ?? Number.NaN) - killedAt} ms after the SIGKILL; ` +
        `the run ended ${Date.now() - killedAt} ms after it (${selected.length} selected, ${captured.size} captured before the kill)`,
    );
    expect(taken[0]).toMatchObject({ worker: holder.worker, deliveryCount: 1 });
    expect(taken.length).toBeGreaterThan(1);
    expect(taken.slice(1).every((delivery) => delivery.worker !== holder.worker)).toBe(true);

    // The run: one item per selected policy, the three deleted before their capture failed as not found.
    expect(run).toMatchObject({ status: RunStatus.Partial, counts: { total: selected.length, succeeded: selected.length - 3, failed: 3, skipped: 0 } });
    const items = await contoso.items(CONTOSO.id, runId);
    expect(items.map((item) => item.itemKey).sort()).toEqual(selected.map((row) => `policy:${row.policyId}`).sort());
    const failed = items.filter((item) => item.status === 'failed');
    expect(failed.map((item) => item.itemKey).sort()).toEqual(notYetCaptured.map((row) => `policy:${row.policyId}`).sort());
    expect(failed.every((item) => item.error?.code === SafeErrorCode.GraphNotFound)).toBe(true);

    // The set: exactly the selection but the three never captured, each policy once, none created meanwhile.
    const inSet = (await setItems(runId)).map((item) => item.policyId);
    expect(new Set(inSet).size).toBe(inSet.length);
    const notFound = new Set(notYetCaptured.map((row) => row.policyId));
    expect(inSet.sort()).toEqual(selected.map((row) => row.policyId).filter((policyId) => !notFound.has(policyId)).sort());
    const createdInSet = await query(
      `SELECT p.graph_id FROM capture.backup_items i JOIN capture.policies p ON p.id = i.policy_id JOIN capture.backup_sets s ON s.id = i.backup_set_id
       WHERE s.created_by_run_id = $1 AND p.graph_id = ANY($2::text[])`,
      [runId, created.map((object) => String(object.id))],
    );
    expect(createdInSet).toEqual([]);
  });
});

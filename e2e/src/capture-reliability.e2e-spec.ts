// capture-worker under stress: a replica killed mid-run, two replicas sharing the work, and a tenant
// whose Graph fails (breaker open) next to one that works. Services run for real; the Graph emulator
// injects latency and failures.
import { readFileSync } from 'node:fs';
import { RunStatus, RunType, type RunView } from '@policyvault/contracts';
import { listPolicyTypes } from '@policyvault/graph';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, FABRIKAM, gatewayRuns, graphEmulatorEnv, startStack, waitFor, type GatewayRuns, type ServiceProcess, type Stack } from '@policyvault/testing';

const CONTOSO_POLICIES: Record<string, number> = {
  deviceConfiguration: 14,
  settingsCatalogPolicy: 10,
  compliancePolicy: 8,
  administrativeTemplate: 6,
  windowsPlatformScript: 6,
  remediationScript: 6,
  enrollmentConfiguration: 5,
  autopilotProfile: 5,
};
const CONTOSO_TYPES = Object.keys(CONTOSO_POLICIES);
/** The same objects as policy types: enrollment configurations by kind (the seed makes these three, defaults included). */
const CONTOSO_SCOPE = [...CONTOSO_TYPES.filter((type) => type !== 'enrollmentConfiguration'), 'enrollmentStatusPage', 'enrollmentDeviceLimit', 'enrollmentPlatformRestriction'];
/** What a backup set with no types selects: every type but the foundations. */
const BACKUP_TYPES = listPolicyTypes({ includeFoundations: false });
/** An inventory sync lists every type, foundations included: one item each. */
const SYNCED_TYPES = listPolicyTypes({ includeFoundations: true }).length;

describe('capture-worker replicas, crashes and failing tenants', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let contoso: GatewayRuns;
  let fabrikam: GatewayRuns;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: CONTOSO_POLICIES } });
    emulator.admin.resetTenant(FABRIKAM.directoryId, { displayName: 'Fabrikam', seed: { policiesPerType: 3 } });
    stack = await startStack({
      services: ['run-service', 'gateway', 'capture-worker', 'capture-worker'],
      env: {
        ...graphEmulatorEnv(emulator.url),
        // Short enough for a crashed replica's command to come back within the test; long enough that a held command's
        // heartbeats (every quarter of it) outlast a loaded machine's stalls: at 2 s, a 1.5-s stall of a replica under
        // CI load let JetStream hand a healthy run to the other replica (a second delivery the third test refuses).
        COMMAND_ACK_WAIT_MS: '5000',
        COMMAND_CONCURRENCY: '2',
        GRAPH_BREAKER_RESET_MS: '1000',
        GRAPH_MAX_ATTEMPTS: '3',
        // A run's first reads are 3 `$batch` calls (2 beta, 1 v1.0): with 3 attempts each, 9 failures, one short of the
        // default threshold, so the breaker would open only on a later delivery (to the same replica, or after the
        // 5-s retry delay). At 5 it opens during the first delivery, as the first test expects.
        GRAPH_BREAKER_VOLUME_THRESHOLD: '5',
      },
    });
    contoso = gatewayRuns(stack.gatewayUrl, await stack.token('owner@contoso.test'));
    fabrikam = gatewayRuns(stack.gatewayUrl, await stack.token('owner@fabrikam.test'));
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await emulator?.close();
  });

  /** Objects of these types in the tenant: the seeded policies and Intune's built-ins (default enrollment configurations, global scripts). */
  const inGraph = (directoryId: string, types: readonly string[]) => types.reduce((sum, type) => sum + emulator.admin.listObjects(directoryId, type)!.length, 0);

  const workers = () => stack.services.filter((service) => service.name.startsWith('capture-worker'));

  /** Which replica received the run's command, and with which delivery count (from the JSON logs). */
  function deliveries(runId: string): { worker: ServiceProcess; deliveryCount: number }[] {
    return workers().flatMap((worker) =>
      readFileSync(worker.logFile, 'utf8')
        .split('\n')
        .filter((line) => line.includes(runId) && line.includes('"run command received"'))
        .map((line) => ({ worker, deliveryCount: JSON.parse(line).deliveryCount as number })),
    ).sort((a, b) => a.deliveryCount - b.deliveryCount);
  }

  async function query<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    return (await stack.database.pool.query(sql, parameters)).rows as T[];
  }

  // First: with no earlier traffic in the breaker's rolling window, failures open it at once.
  it("a tenant whose Graph fails waits (breaker open) and succeeds after recovery; another tenant's run is not held up", async () => {
    emulator.admin.setFaults(CONTOSO.directoryId, { errorRate: 1 });
    const failing = await contoso.start(CONTOSO.id, { type: RunType.InventorySync, target: {}, scope: {} });
    await waitFor(
      async () => workers().some((worker) => readFileSync(worker.logFile, 'utf8').split('\n').some((line) => line.includes(failing.reply.run.id) && line.includes('circuit breaker open'))),
      (postponed) => postponed,
      { what: "Contoso's run to be postponed by its open breaker" },
    );

    const healthy = await fabrikam.start(FABRIKAM.id, { type: RunType.InventorySync, target: {}, scope: {} });
    expect(await fabrikam.waitUntilTerminal(FABRIKAM.id, healthy.reply.run.id)).toMatchObject({ status: RunStatus.Succeeded, counts: { total: SYNCED_TYPES, succeeded: SYNCED_TYPES } });
    const waiting = await contoso.get(CONTOSO.id, failing.reply.run.id);
    expect([RunStatus.Queued, RunStatus.Running]).toContain(waiting.status);
    expect(waiting.counts.failed).toBe(0);

    emulator.admin.setFaults(CONTOSO.directoryId, undefined);
    const recovered = await contoso.waitUntilTerminal(CONTOSO.id, failing.reply.run.id);
    expect(recovered).toMatchObject({ status: RunStatus.Succeeded, counts: { total: SYNCED_TYPES, succeeded: SYNCED_TYPES, failed: 0 } });
    expect(deliveries(recovered.id).length).toBeGreaterThan(1);
  });

  it('a replica killed mid-run: the command is redelivered, the run ends correctly, nothing is duplicated', async () => {
    const total = inGraph(CONTOSO.directoryId, CONTOSO_TYPES);
    emulator.admin.setFaults(CONTOSO.directoryId, { latencyMs: { min: 400, max: 400 } });
    const { reply } = await contoso.start(CONTOSO.id, { type: RunType.BackupSetCreate, target: { name: 'Nightly' }, scope: { policyTypes: CONTOSO_SCOPE } });
    const runId = reply.run.id;
    await waitFor(() => contoso.items(CONTOSO.id, runId), (items) => items.length >= 5, { what: 'the first items of the run' });
    const [holder] = deliveries(runId);
    await holder.worker.kill();
    const killedAt = await contoso.get(CONTOSO.id, runId);
    expect(killedAt.status).toBe(RunStatus.Running);
    expect(killedAt.counts.succeeded).toBeLessThan(total);
    emulator.admin.setFaults(CONTOSO.directoryId, undefined);
    await stack.start('capture-worker'); // back to two live replicas (either may get the redelivery)

    const run = await contoso.waitUntilTerminal(CONTOSO.id, runId);
    expect(run).toMatchObject({ status: RunStatus.Succeeded, counts: { total, succeeded: total, failed: 0, skipped: 0 } });
    // The killed replica had the first delivery; the redelivery went to a live one. A live replica may postpone it
    // once more (its breaker for the tenant can still be open from the previous test): later deliveries only.
    const taken = deliveries(runId).map((delivery) => [delivery.worker.name, delivery.deliveryCount]);
    expect(taken[0]).toEqual([holder.worker.name, 1]);
    expect(taken.length).toBeGreaterThan(1);
    expect(taken.slice(1)).toEqual(taken.slice(1).map((_, index) => [expect.not.stringMatching(holder.worker.name), index + 2]));
    const items = await contoso.items(CONTOSO.id, runId);
    expect(new Set(items.map((item) => item.itemKey)).size).toBe(total);
    expect(items.every((item) => item.outcome === 'captured')).toBe(true);

    const [{ sets }] = await query<{ sets: number }>(`SELECT count(*)::int AS sets FROM capture.backup_sets WHERE created_by_run_id = $1`, [runId]);
    expect(sets).toBe(1);
    const [{ backupItems, distinctPolicies }] = await query<{ backupItems: number; distinctPolicies: number }>(
      `SELECT count(*)::int AS "backupItems", count(DISTINCT i.policy_id)::int AS "distinctPolicies"
       FROM capture.backup_items i JOIN capture.backup_sets s ON s.id = i.backup_set_id WHERE s.created_by_run_id = $1`,
      [runId],
    );
    expect([backupItems, distinctPolicies]).toEqual([total, total]);
    const [{ versions, versionedPolicies }] = await query<{ versions: number; versionedPolicies: number }>(
      `SELECT count(*)::int AS versions, count(DISTINCT policy_id)::int AS "versionedPolicies" FROM capture.policy_versions WHERE tenant_id = $1`,
      [CONTOSO.id],
    );
    expect([versions, versionedPolicies]).toEqual([total, total]);
  });

  it('two replicas consuming at once both take work, and no run is processed twice', async () => {
    const contosoTotal = inGraph(CONTOSO.directoryId, CONTOSO_TYPES);
    // Every type's objects: enrollment kinds share one emulator collection, Apple profiles live under tokens (none
    // here), and the tenant's settings are one object outside any collection.
    const collections = new Set(BACKUP_TYPES.filter((type) => type !== 'deviceManagementSettings' && type !== 'appleEnrollmentProfile').map((type) => (type.startsWith('enrollment') ? 'enrollmentConfiguration' : type)));
    const fabrikamTotal = inGraph(FABRIKAM.directoryId, [...collections]) + 1;
    emulator.admin.setFaults(CONTOSO.directoryId, { latencyMs: { min: 100, max: 100 } });
    emulator.admin.setFaults(FABRIKAM.directoryId, { latencyMs: { min: 100, max: 100 } });
    const started = await Promise.all([
      ...['Monday', 'Tuesday', 'Wednesday'].map((name) => contoso.start(CONTOSO.id, { type: RunType.BackupSetCreate, target: { name }, scope: { policyTypes: CONTOSO_SCOPE } })),
      ...['Monday', 'Tuesday', 'Wednesday'].map((name) => fabrikam.start(FABRIKAM.id, { type: RunType.BackupSetCreate, target: { name }, scope: {} })),
    ]);
    const finished: RunView[] = await Promise.all(
      started.map(({ reply }) => (reply.run.tenantId === CONTOSO.id ? contoso : fabrikam).waitUntilTerminal(reply.run.tenantId, reply.run.id)),
    );
    emulator.admin.setFaults(CONTOSO.directoryId, undefined);
    emulator.admin.setFaults(FABRIKAM.directoryId, undefined);
    expect(finished.map((run) => run.status)).toEqual(Array(6).fill(RunStatus.Succeeded));
    expect(finished.map((run) => run.counts.total)).toEqual([contosoTotal, contosoTotal, contosoTotal, fabrikamTotal, fabrikamTotal, fabrikamTotal]);

    // At most two runs per replica at a time: six runs cannot all land on one.
    const workerIds = new Set(finished.map((run) => run.summary?.workerId));
    expect(workerIds.size).toBe(2);
    for (const run of finished) expect(deliveries(run.id).map((delivery) => delivery.deliveryCount)).toEqual([1]);
    // Three sets captured the same Fabrikam policies (15 types, 3 each, plus the built-ins) concurrently: each content stored once.
    const duplicated = await query(
      `SELECT policy_id FROM capture.policy_versions WHERE tenant_id = $1 GROUP BY policy_id, content_hash HAVING count(*) > 1`,
      [FABRIKAM.id],
    );
    expect(duplicated).toEqual([]);
    const [{ versions }] = await query<{ versions: number }>(`SELECT count(*)::int AS versions FROM capture.policy_versions WHERE tenant_id = $1`, [FABRIKAM.id]);
    expect(versions).toBe(fabrikamTotal);
    const perSet = await query<{ items: number }>(
      `SELECT count(i.id)::int AS items FROM capture.backup_sets s LEFT JOIN capture.backup_items i ON i.backup_set_id = s.id
       WHERE s.created_by_run_id = ANY($1::uuid[]) GROUP BY s.id`,
      [finished.map((run) => run.id)],
    );
    expect(perSet.map((set) => set.items).sort((a, b) => a - b)).toEqual([fabrikamTotal, fabrikamTotal, fabrikamTotal, contosoTotal, contosoTotal, contosoTotal].sort((a, b) => a - b));
  });

});

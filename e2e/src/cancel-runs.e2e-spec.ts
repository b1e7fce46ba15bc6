// Cancel (issue 6) end to end: gateway → run-service → capture-worker → Graph emulator. A queued run is
// canceled at once and its command is skipped when a worker takes it (no Graph call); a running backup
// set stops between chunks of policies: the chunks in flight finish, nothing new is read, and the run
// ends `canceled` with its counts so far (its set `partial`).
import { BackupStoreRpc, RunStatus, RunType, type BackupSetView, type Page, type PolicyView, type RunView } from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, connectNatsRpc, gatewayRuns, graphEmulatorEnv, startStack, waitFor, type GatewayRuns, type NatsRpc, type Stack } from '@policyvault/testing';

/** Fifteen reads of 40 policies: slowed down (latency, and the tenant pacer), they take well over ten seconds. */
const POLICY_COUNT = 600;

describe('canceling capture runs (issue 6) through the gateway, with the Graph emulator', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let runs: GatewayRuns;
  let store: NatsRpc;
  let token: string;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: { deviceConfiguration: POLICY_COUNT } } });
    // No capture-worker yet: the first test cancels a run while it is queued.
    stack = await startStack({ services: ['run-service', 'gateway'], env: graphEmulatorEnv(emulator.url) });
    token = await stack.token('operator@contoso.test');
    runs = gatewayRuns(stack.gatewayUrl, token);
    store = await connectNatsRpc(stack.nats.namespace);
  }, 180_000);

  afterAll(async () => {
    await store?.close();
    await stack?.close();
    await emulator?.close();
  });

  async function cancel(runId: string): Promise<{ status: number; body: RunView }> {
    const response = await fetch(`${stack.gatewayUrl}/api/tenants/${CONTOSO.id}/runs/${runId}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as RunView };
  }
  const commandsOnStream = async () => (await stack.nats.jsm.streams.info(stack.nats.names.commandStream)).state.messages;

  it('cancels a queued run at once; the worker that later takes its command skips it without calling Graph', async () => {
    const { reply } = await runs.start(CONTOSO.id, { type: RunType.BackupSetCreate, target: { name: 'Never captured' }, scope: { policyTypes: ['deviceConfiguration'] } });
    expect(reply.run.status).toBe(RunStatus.Queued);
    await waitFor(commandsOnStream, (messages) => messages === 1, { what: 'the command on the stream' });

    const canceled = await cancel(reply.run.id);
    expect(canceled).toMatchObject({ status: 200, body: { id: reply.run.id, status: RunStatus.Canceled, cancelRequested: true, finishedAt: expect.any(String) } });

    await stack.start('capture-worker');
    // The work queue drops the command once the worker acknowledges it (skipped: its run has ended).
    await waitFor(commandsOnStream, (messages) => messages === 0, { what: 'the worker to take and acknowledge the command' });
    expect(emulator.journal.list()).toEqual([]);
    expect(await runs.get(CONTOSO.id, reply.run.id)).toMatchObject({ status: RunStatus.Canceled, counts: { total: 0, succeeded: 0, failed: 0, skipped: 0 } });
    expect(await runs.items(CONTOSO.id, reply.run.id)).toEqual([]);
    expect((await store.request<Page<BackupSetView>>(BackupStoreRpc.listBackupSets, { tenantId: CONTOSO.id })).items).toEqual([]);
  });

  it('stops a running backup set between chunks: in-flight policies finish, nothing new is read, the run ends canceled with its counts', async () => {
    const sync = await runs.start(CONTOSO.id, { type: RunType.InventorySync, target: {}, scope: { policyTypes: ['deviceConfiguration'] } });
    expect(await runs.waitUntilTerminal(CONTOSO.id, sync.reply.run.id)).toMatchObject({ status: RunStatus.Succeeded });
    const policies = await allPolicies();
    expect(policies).toHaveLength(POLICY_COUNT);
    const graphIdOf = new Map(policies.map((policy) => [policy.id, policy.graphId]));

    // Selected by id (no listing), each read of 40 policies takes a few slowed-down $batch calls.
    emulator.admin.setFaults(CONTOSO.directoryId, { latencyMs: { min: 700, max: 700 } });
    const journalStart = emulator.journal.list().length;
    const { reply } = await runs.start(CONTOSO.id, { type: RunType.BackupSetCreate, target: { name: 'Canceled midway' }, scope: { policyIds: policies.map((policy) => policy.id) } });
    await waitFor(() => runs.get(CONTOSO.id, reply.run.id), (run) => run.counts.succeeded > 0, { intervalMs: 50, what: 'the first captured policy' });
    const answer = await cancel(reply.run.id);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: RunStatus.Running, cancelRequested: true });

    const run = await runs.waitUntilTerminal(CONTOSO.id, reply.run.id);
    emulator.admin.setFaults(CONTOSO.directoryId, undefined);
    expect(run.status).toBe(RunStatus.Canceled);
    expect(run.counts.total).toBe(POLICY_COUNT);
    expect(run.counts.succeeded).toBeGreaterThan(0);
    expect(run.counts.succeeded).toBeLessThan(POLICY_COUNT);
    expect(run.counts.failed).toBe(0);
    expect(run.summary).toMatchObject({ canceled: true, backupSetId: expect.any(String), succeeded: run.counts.succeeded });

    // Once the command is acknowledged nothing more can happen: the items are exactly the counted ones,
    // none finished after the run did, and no Graph request arrived after it ended.
    await waitFor(commandsOnStream, (messages) => messages === 0, { what: 'the command to be acknowledged' });
    const items = await runs.items(CONTOSO.id, run.id);
    expect(items).toHaveLength(run.counts.succeeded);
    const finishedAt = Date.parse(run.finishedAt!);
    expect(items.every((item) => Date.parse(item.finishedAt) <= finishedAt)).toBe(true);
    const journal = emulator.journal.list().slice(journalStart).filter((entry) => entry.kind !== 'token');
    expect(journal.every((entry) => entry.time <= finishedAt)).toBe(true);

    // Only the captured policies were ever read: no chunk started after the cancel was seen.
    const read = new Set(
      journal.filter((entry) => entry.kind === 'batch-item').map((entry) => /\/deviceConfigurations\/([^/?]+)/.exec(entry.path)?.[1]).filter(Boolean),
    );
    const captured = new Set(items.map((item) => graphIdOf.get(String(item.result?.policyId))));
    expect(read).toEqual(captured);

    const set = await store.request<BackupSetView>(BackupStoreRpc.getBackupSet, { tenantId: CONTOSO.id, backupSetId: run.summary?.backupSetId });
    expect(set).toMatchObject({ name: 'Canceled midway', status: 'partial', itemCount: run.counts.succeeded, createdByRunId: run.id });
  });

  async function allPolicies(): Promise<PolicyView[]> {
    const policies: PolicyView[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<PolicyView> = await store.request<Page<PolicyView>>(BackupStoreRpc.listPolicies, {
        tenantId: CONTOSO.id,
        policyType: 'deviceConfiguration',
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      policies.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return policies;
  }
});

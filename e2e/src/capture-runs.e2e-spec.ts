// Capture runs end to end (US1, US2): gateway → run-service → JetStream → capture-worker → Graph
// emulator → backup store, checked through the gateway's run routes and the BackupStoreRpc API.
import {
  BackupStoreRpc,
  DEMO_GRAPH_APP,
  RunStatus,
  RunType,
  type BackupItemView,
  type BackupSetView,
  type Page,
  type PolicyVersionSummary,
  type PolicyVersionView,
  type PolicyView,
  type RunView,
} from '@policyvault/contracts';
import { listPolicyTypes } from '@policyvault/graph';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import {
  CONTOSO,
  FABRIKAM,
  connectNatsRpc,
  gatewayRuns,
  graphEmulatorEnv,
  startStack,
  waitFor,
  type GatewayRuns,
  type NatsRpc,
  type Stack,
} from '@policyvault/testing';

/** 60 policies of eight types, plus two foundations of each kind (Intune's built-ins come on top, as in every tenant). */
const CONTOSO_POLICIES: Record<string, number> = {
  deviceConfiguration: 14,
  settingsCatalogPolicy: 10,
  compliancePolicy: 8,
  administrativeTemplate: 6,
  windowsPlatformScript: 6,
  remediationScript: 6,
  enrollmentConfiguration: 5,
  autopilotProfile: 5,
  assignmentFilter: 2,
  scopeTag: 2,
};
/** The emulator's collections the backup covers (enrollment configurations are one collection there)… */
const BACKUP_COLLECTIONS = Object.keys(CONTOSO_POLICIES).filter((type) => type !== 'assignmentFilter' && type !== 'scopeTag');
/** …and the policy types it selects: enrollment configurations by kind (the seed makes these three kinds, defaults included). */
const BACKUP_TYPES = [...BACKUP_COLLECTIONS.filter((type) => type !== 'enrollmentConfiguration'), 'enrollmentStatusPage', 'enrollmentDeviceLimit', 'enrollmentPlatformRestriction'];

describe('capture runs (US1, US2) through the gateway, with the Graph emulator', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let runs: GatewayRuns;
  let store: NatsRpc;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: CONTOSO_POLICIES } });
    emulator.admin.resetTenant(FABRIKAM.directoryId, { displayName: 'Fabrikam', seed: { policiesPerType: 1 } });
    // No capture-worker yet: the first test proves nothing calls Graph before a worker picks a run up.
    stack = await startStack({ services: ['run-service', 'gateway'], env: { ...graphEmulatorEnv(emulator.url), GRAPH_MAX_ATTEMPTS: '3' } });
    runs = gatewayRuns(stack.gatewayUrl, await stack.token('operator@contoso.test'));
    store = await connectNatsRpc(stack.nats.namespace);
  }, 180_000);

  afterAll(async () => {
    await store?.close();
    await stack?.close();
    await emulator?.close();
  });

  /** How many objects of these types Contoso holds in Graph (the seeded ones and Intune's built-ins). */
  const inGraph = (types: readonly string[]) => types.reduce((sum, type) => sum + emulator.admin.listObjects(CONTOSO.directoryId, type)!.length, 0);

  const policiesOf = async (policyType: string) =>
    (await store.request<Page<PolicyView>>(BackupStoreRpc.listPolicies, { tenantId: CONTOSO.id, policyType, limit: 200 })).items;

  it('makes no Graph call on the request path; the worker syncs the inventory once it picks the run up', async () => {
    const { httpStatus, reply } = await runs.start(CONTOSO.id, { type: RunType.InventorySync, target: {}, scope: {} });
    expect(httpStatus).toBe(202);
    expect(reply.run.status).toBe(RunStatus.Queued);
    await waitFor(
      async () => (await stack.nats.jsm.streams.info(stack.nats.names.commandStream)).state.messages,
      (messages) => messages === 1,
      { what: 'the command on the stream' },
    );
    expect(emulator.journal.list()).toEqual([]);

    await stack.start('capture-worker');
    const run = await runs.waitUntilTerminal(CONTOSO.id, reply.run.id);
    // One item per registry type (foundations included).
    const types = listPolicyTypes().length;
    expect(types).toBeGreaterThanOrEqual(40);
    expect(run).toMatchObject({ status: RunStatus.Succeeded, counts: { total: types, succeeded: types, failed: 0, skipped: 0 } });
    const items = await runs.items(CONTOSO.id, run.id);
    const deviceConfigurations = items.find((item) => item.itemKey === 'type:deviceConfiguration');
    expect(deviceConfigurations).toMatchObject({ status: 'succeeded', outcome: 'synced', result: { found: 14, added: 14, missing: 0 } });
    expect(emulator.journal.list().filter((entry) => entry.kind !== 'token').length).toBeGreaterThan(0);
    expect(emulator.journal.list().every((entry) => entry.tenant === CONTOSO.directoryId)).toBe(true);
    expect(await policiesOf('deviceConfiguration')).toHaveLength(14);
  });

  it('US1: a double-click captures once (queued → running → succeeded, one version); again → "unchanged"', async () => {
    const [policy] = await policiesOf('settingsCatalogPolicy');
    // Slow Graph down a little so that "running" is observable between queued and succeeded.
    emulator.admin.setFaults(CONTOSO.directoryId, { latencyMs: { min: 300, max: 300 } });
    const body = { type: RunType.PolicyCaptureSnapshot, target: { policyId: policy.id }, scope: {} };
    const clicks = await Promise.all([runs.start(CONTOSO.id, body), runs.start(CONTOSO.id, body)]);
    expect(clicks.map((click) => click.httpStatus).sort()).toEqual([200, 202]);
    expect(new Set(clicks.map((click) => click.reply.run.id)).size).toBe(1);
    const runId = clicks[0].reply.run.id;

    const seen: RunStatus[] = [clicks.find((click) => click.httpStatus === 202)!.reply.run.status];
    const run = await waitFor(
      async () => {
        const current = await runs.get(CONTOSO.id, runId);
        if (seen[seen.length - 1] !== current.status) seen.push(current.status);
        return current;
      },
      (current) => current.status === RunStatus.Succeeded || current.status === RunStatus.Failed,
      { intervalMs: 25, what: 'the capture to end' },
    );
    emulator.admin.setFaults(CONTOSO.directoryId, undefined);
    expect(seen).toEqual([RunStatus.Queued, RunStatus.Running, RunStatus.Succeeded]);
    expect(run.counts).toEqual({ total: 1, succeeded: 1, failed: 0, skipped: 0 });
    const [item] = await runs.items(CONTOSO.id, runId);
    expect(item).toMatchObject({ itemKey: `policy:${policy.id}`, status: 'succeeded', outcome: 'captured' });

    const versions = await store.request<Page<PolicyVersionSummary>>(BackupStoreRpc.listPolicyVersions, { tenantId: CONTOSO.id, policyId: policy.id });
    expect(versions.items).toHaveLength(1);
    expect(versions.items[0]).toMatchObject({ id: item.result?.versionId, capturedByRunId: runId });
    const version = await store.request<PolicyVersionView>(BackupStoreRpc.getPolicyVersion, { tenantId: CONTOSO.id, versionId: versions.items[0].id });
    const inGraph = emulator.admin.getObject(CONTOSO.directoryId, 'settingsCatalogPolicy', policy.graphId)!;
    expect(version.snapshot).toMatchObject({ id: policy.graphId, name: inGraph.name, settings: inGraph.settings, assignments: inGraph.assignments });

    const again = await runs.start(CONTOSO.id, body);
    expect(again.httpStatus).toBe(202);
    expect(again.reply.run.id).not.toBe(runId);
    expect(await runs.waitUntilTerminal(CONTOSO.id, again.reply.run.id)).toMatchObject({ status: RunStatus.Succeeded });
    expect(await runs.items(CONTOSO.id, again.reply.run.id)).toMatchObject([{ status: 'succeeded', outcome: 'unchanged', result: { versionId: version.id } }]);
    const after = await store.request<Page<PolicyVersionSummary>>(BackupStoreRpc.listPolicyVersions, { tenantId: CONTOSO.id, policyId: policy.id });
    expect(after.items.map((entry) => entry.id)).toEqual([version.id]);

    // Changed in Graph → a new version on the next capture.
    emulator.admin.patchObject(CONTOSO.directoryId, 'settingsCatalogPolicy', policy.graphId, { description: 'changed in the portal' });
    const third = await runs.start(CONTOSO.id, body);
    await runs.waitUntilTerminal(CONTOSO.id, third.reply.run.id);
    expect(await runs.items(CONTOSO.id, third.reply.run.id)).toMatchObject([{ outcome: 'captured' }]);
    const latest = await store.request<Page<PolicyVersionSummary>>(BackupStoreRpc.listPolicyVersions, { tenantId: CONTOSO.id, policyId: policy.id, limit: 1 });
    expect(latest.items[0].capturedByRunId).toBe(third.reply.run.id);
    expect(latest.nextCursor).not.toBeNull();
  });

  it('US2: a backup set of every policy (built-ins too) with 3 failing in Graph → partial, the rest + 3 safe errors; add_policies adds and skips', async () => {
    // 60 seeded policies plus the two default enrollment configurations and the two global remediation scripts.
    const total = inGraph(BACKUP_COLLECTIONS);
    const failing = {
      deviceConfiguration: [emulator.admin.listObjects(CONTOSO.directoryId, 'deviceConfiguration')![3], 403],
      settingsCatalogPolicy: [emulator.admin.listObjects(CONTOSO.directoryId, 'settingsCatalogPolicy')![5], 404],
      windowsPlatformScript: [emulator.admin.listObjects(CONTOSO.directoryId, 'windowsPlatformScript')![1], 500],
    } as const;
    const failIds = Object.fromEntries(Object.values(failing).map(([object, status]) => [String(object.id), status]));
    // Graph slowed down a little, so that the run is seen while its policies are read.
    emulator.admin.setFaults(CONTOSO.directoryId, { failIds, latencyMs: { min: 200, max: 200 } });

    const { reply } = await runs.start(CONTOSO.id, { type: RunType.BackupSetCreate, target: { name: 'Before the change window' }, scope: { policyTypes: BACKUP_TYPES } });
    const seen: RunView[] = [];
    const run = await waitFor(
      async () => {
        const current = await runs.get(CONTOSO.id, reply.run.id);
        seen.push(current);
        return current;
      },
      (current) => current.status !== RunStatus.Queued && current.status !== RunStatus.Running,
      { intervalMs: 25, what: 'the backup to end' },
    );
    emulator.admin.setFaults(CONTOSO.directoryId, undefined);
    expect(run).toMatchObject({ status: RunStatus.Partial, counts: { total, succeeded: total - 3, failed: 3, skipped: 0 } });
    // The run's total is known as soon as its selection is (run-started), while its policies are still being read.
    const whileReading = seen.find((view) => view.status === RunStatus.Running && view.counts.succeeded + view.counts.failed < view.counts.total);
    expect(whileReading?.counts.total).toBe(total);
    const items = await runs.items(CONTOSO.id, run.id);
    expect(items).toHaveLength(total);
    expect(items.filter((item) => item.status === 'succeeded')).toHaveLength(run.counts.succeeded);
    const failed = items.filter((item) => item.status === 'failed');
    // 500 on every attempt: retried, then only that policy's item fails (not its whole batch).
    expect(failed.map((item) => item.error?.code).sort()).toEqual(['graph_forbidden', 'graph_not_found', 'graph_unavailable']);
    for (const item of failed) {
      expect(item.error).toEqual({ code: expect.any(String), message: expect.any(String), context: expect.objectContaining({ httpStatus: expect.any(Number) }) });
    }
    const everything = JSON.stringify({ run, items });
    expect(everything).not.toContain(DEMO_GRAPH_APP.clientSecret);
    expect(everything).not.toMatch(/bearer|eyJ[A-Za-z0-9_-]{10,}|client_secret|access_token/i);

    const set = await store.request<BackupSetView>(BackupStoreRpc.getBackupSet, { tenantId: CONTOSO.id, backupSetId: run.summary?.backupSetId });
    expect(set).toMatchObject({ name: 'Before the change window', status: 'partial', itemCount: total - 3, createdByRunId: run.id, includeFoundations: false });
    const backupItems = await allBackupItems(set.id, true);
    expect(backupItems).toHaveLength(total - 3);
    expect(new Set(backupItems.map((item) => item.policyType))).toEqual(new Set(BACKUP_TYPES));
    expect(backupItems.every((item) => item.snapshot && item.snapshot.id === item.graphId)).toBe(true);
    // Intune's built-ins are backed up like any policy (a restore skips them).
    expect(backupItems.map((item) => item.graphId)).toEqual(
      expect.arrayContaining([`${CONTOSO.directoryId}_DefaultPlatformRestrictions`, `${CONTOSO.directoryId}_DefaultWindows10EnrollmentCompletionPageConfiguration`]),
    );
    expect(backupItems.filter((item) => item.policyType === 'remediationScript' && item.snapshot?.isGlobalScript === true)).toHaveLength(2);

    // Add the policy that was forbidden (Graph answers again now) and one already in the set, with the foundations:
    // two filters and three scope tags (the two seeded ones and the built-in `0`).
    const foundations = inGraph(['assignmentFilter', 'scopeTag']);
    expect(foundations).toBe(5);
    const policies = await policiesOf('deviceConfiguration');
    const forbidden = policies.find((policy) => policy.graphId === failing.deviceConfiguration[0].id)!;
    const present = policies.find((policy) => backupItems.some((item) => item.policyId === policy.id))!;
    const added = await runs.start(CONTOSO.id, { type: RunType.BackupSetAddPolicies, target: { backupSetId: set.id }, scope: { policyIds: [forbidden.id, present.id], includeFoundations: true } });
    const addRun = await runs.waitUntilTerminal(CONTOSO.id, added.reply.run.id);
    expect(addRun).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 2 + foundations, succeeded: 1 + foundations, failed: 0, skipped: 1 } });
    const addItems = await runs.items(CONTOSO.id, addRun.id);
    expect(addItems.find((item) => item.itemKey === `policy:${forbidden.id}`)).toMatchObject({ status: 'succeeded', outcome: 'captured' });
    expect(addItems.find((item) => item.itemKey === `policy:${present.id}`)).toMatchObject({ status: 'skipped', outcome: 'already_in_set' });
    const grown = await allBackupItems(set.id, false);
    expect(grown).toHaveLength(total - 3 + 1 + foundations);
    expect(grown.filter((item) => item.isFoundation).map((item) => item.policyType).sort()).toEqual(['assignmentFilter', 'assignmentFilter', 'scopeTag', 'scopeTag', 'scopeTag']);
    expect(grown.find((item) => item.policyType === 'scopeTag' && item.graphId === '0')).toMatchObject({ isFoundation: true });
    const sets = await store.request<Page<BackupSetView>>(BackupStoreRpc.listBackupSets, { tenantId: CONTOSO.id });
    expect(sets.items).toMatchObject([{ id: set.id, itemCount: total - 3 + 1 + foundations, status: 'partial' }]);
  });

  it('skips an unknown policy type with a reason, fails a policy of the wrong tenant, and answers other_tenant (never the data) across tenants', async () => {
    const sync = await runs.start(CONTOSO.id, { type: RunType.InventorySync, target: {}, scope: { policyTypes: ['compliancePolicy', 'holographicPolicy'] } });
    const synced = await runs.waitUntilTerminal(CONTOSO.id, sync.reply.run.id);
    expect(synced).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 2, succeeded: 1, skipped: 1 } });
    expect((await runs.items(CONTOSO.id, synced.id)).find((item) => item.itemKey === 'type:holographicPolicy')).toMatchObject({
      status: 'skipped',
      outcome: 'unsupported',
      error: { code: 'unsupported_policy_type', context: { policyType: 'holographicPolicy' } },
    });

    const [contosoPolicy] = await policiesOf('compliancePolicy');
    const fabrikamRuns = gatewayRuns(stack.gatewayUrl, await stack.token('owner@fabrikam.test'));
    const foreign = await fabrikamRuns.start(FABRIKAM.id, { type: RunType.PolicyCaptureSnapshot, target: { policyId: contosoPolicy.id }, scope: {} });
    const failedRun: RunView = await fabrikamRuns.waitUntilTerminal(FABRIKAM.id, foreign.reply.run.id);
    expect(failedRun).toMatchObject({ status: RunStatus.Failed, counts: { total: 1, failed: 1 } });
    expect(await fabrikamRuns.items(FABRIKAM.id, failedRun.id)).toMatchObject([{ itemKey: `policy:${contosoPolicy.id}`, error: { code: 'not_found' } }]);

    const [set] = (await store.request<Page<BackupSetView>>(BackupStoreRpc.listBackupSets, { tenantId: CONTOSO.id })).items;
    for (const [pattern, payload] of [
      [BackupStoreRpc.getBackupSet, { tenantId: FABRIKAM.id, backupSetId: set.id }],
      [BackupStoreRpc.listBackupItems, { tenantId: FABRIKAM.id, backupSetId: set.id }],
      [BackupStoreRpc.listPolicyVersions, { tenantId: FABRIKAM.id, policyId: contosoPolicy.id }],
      [BackupStoreRpc.getPolicyVersion, { tenantId: FABRIKAM.id, versionId: contosoPolicy.latestVersionId ?? set.id }],
    ] as const) {
      // Contoso's ids under Fabrikam: `other_tenant` (the gateway turns it into 403 or 404), never Contoso's data.
      expect(await store.requestError(pattern, payload)).toMatchObject({ code: 'other_tenant' });
    }
    expect((await store.request<Page<PolicyView>>(BackupStoreRpc.listPolicies, { tenantId: FABRIKAM.id })).items).toEqual([]);
    expect(await store.requestError(BackupStoreRpc.listPolicies, { tenantId: CONTOSO.id, cursor: 'not-a-cursor' })).toMatchObject({ code: 'validation_failed' });

    // Keyset pages: every policy exactly once, in display-name order (Contoso holds objects of its seeded types, the
    // seeded notification templates, Intune's built-in roles and default branding profile, and its one settings object).
    const inventory = inGraph([...Object.keys(CONTOSO_POLICIES), 'notificationMessageTemplate', 'roleDefinition', 'brandingProfile']) + 1;
    const pages: PolicyView[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<PolicyView> = await store.request<Page<PolicyView>>(BackupStoreRpc.listPolicies, { tenantId: CONTOSO.id, limit: 7, ...(cursor ? { cursor } : {}) });
      pages.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toHaveLength(inventory);
    expect(new Set(pages.map((policy) => policy.id)).size).toBe(inventory);
    const search = await store.request<Page<PolicyView>>(BackupStoreRpc.listPolicies, { tenantId: CONTOSO.id, search: 'compliance 1' });
    expect(search.items.map((policy) => policy.displayName).every((name) => /compliance 1/i.test(name))).toBe(true);
  });

  async function allBackupItems(backupSetId: string, includeSnapshots: boolean): Promise<BackupItemView[]> {
    const items: BackupItemView[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<BackupItemView> = await store.request<Page<BackupItemView>>(BackupStoreRpc.listBackupItems, {
        tenantId: CONTOSO.id,
        backupSetId,
        includeSnapshots,
        limit: 25,
        ...(cursor ? { cursor } : {}),
      });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }
});

// Restores never match ambiguously and map references across tenants by name (issue 11, items 6
// and 7), end to end: backup sets made by the real capture-worker, previews and restores by the real
// restore-worker against the Graph emulator; the emulator's journal proves what was (not) written.
import {
  BackupStoreRpc,
  DEMO_GRAPH_APP,
  RestoreRpc,
  RunRpc,
  RunStatus,
  RunType,
  type BackupItemView,
  type Page,
  type RestorePreviewItemView,
  type RestorePreviewPage,
  type RunItemView,
  type StartRunReply,
} from '@policyvault/contracts';
import { GraphClientFactory, createRedirectingNetworkClient } from '@policyvault/graph';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, FABRIKAM, connectNatsRpc, gatewayRuns, graphEmulatorEnv, startStack, type GatewayRuns, type NatsRpc, type Stack } from '@policyvault/testing';

const OWNERS = {
  [CONTOSO.id]: { userId: '5d1b7a10-0000-4000-8000-000000000001', email: 'owner@contoso.test' },
  [FABRIKAM.id]: { userId: '5d1b7a10-0000-4000-8000-000000000004', email: 'owner@fabrikam.test' },
};
const WINDOWS = '#microsoft.graph.windows10GeneralConfiguration';

type GraphObject = Record<string, unknown>;
type Tenant = typeof CONTOSO;

/** What every scenario needs: an emulator, the services, and runs started the way run-service takes them. */
function restoreHarness(emulatorOptions: { seedDemoTenants: boolean }) {
  const harness = {} as { emulator: RunningGraphEmulator; stack: Stack; rpc: NatsRpc; runs: Map<string, GatewayRuns> };

  beforeAll(async () => {
    harness.emulator = await startGraphEmulator({ port: 0, ...emulatorOptions });
    harness.stack = await startStack({ services: ['run-service', 'capture-worker', 'restore-worker', 'gateway'], env: graphEmulatorEnv(harness.emulator.url) });
    harness.rpc = await connectNatsRpc(harness.stack.nats.namespace);
    harness.runs = new Map([
      [CONTOSO.id, gatewayRuns(harness.stack.gatewayUrl, await harness.stack.token('owner@contoso.test'))],
      [FABRIKAM.id, gatewayRuns(harness.stack.gatewayUrl, await harness.stack.token('owner@fabrikam.test'))],
    ]);
  }, 180_000);

  afterAll(async () => {
    await harness.rpc?.close();
    await harness.stack?.close();
    await harness.emulator?.close();
  });

  const run = async (tenant: Tenant, type: RunType, target: object, scope: object = {}, confirmation?: object) => {
    const reply = await harness.rpc.request<StartRunReply>(RunRpc.start, {
      tenantId: tenant.id,
      tenantDirectoryId: tenant.directoryId,
      tenantDisplayName: tenant.displayName,
      type,
      target,
      scope,
      initiator: OWNERS[tenant.id],
      ...(confirmation ? { confirmation } : {}),
    });
    return harness.runs.get(tenant.id)!.waitUntilTerminal(tenant.id, reply.run.id);
  };

  return {
    harness,
    objects: (tenant: Tenant, type: string) => harness.emulator.admin.listObjects(tenant.directoryId, type)!,
    writesSince: (seq: number, tenant: Tenant) => harness.emulator.journal.writes({ tenant: tenant.directoryId, sinceSeq: seq }),
    backup: async (tenant: Tenant, policyTypes: string[]) => {
      const done = await run(tenant, RunType.BackupSetCreate, { name: 'Before the change' }, { policyTypes, includeFoundations: true });
      expect(done.status).toBe(RunStatus.Succeeded);
      return String(done.summary?.backupSetId);
    },
    items: async (tenant: Tenant, backupSetId: string) => {
      const page = await harness.rpc.request<Page<BackupItemView>>(BackupStoreRpc.listBackupItems, { tenantId: tenant.id, backupSetId, limit: 100 });
      return page.items;
    },
    /** Preview then restore of the given items from `source` into `tenant`. */
    previewAndRestore: async (tenant: Tenant, source: Tenant, backupSetId: string, scope: object) => {
      const target = { backupSetId, ...(source.id !== tenant.id ? { sourceTenantId: source.id } : {}) };
      const preview = await run(tenant, RunType.RestorePreview, target, scope);
      expect(preview.status).toBe(RunStatus.Succeeded);
      const page = await harness.rpc.request<RestorePreviewPage>(RestoreRpc.getPreview, { tenantId: tenant.id, runId: preview.id, limit: 100 });
      const before = harness.emulator.journal.lastSeq;
      const restore = await run(tenant, RunType.RestoreExecute, target, scope, { previewRunId: preview.id });
      const items: RunItemView[] = await harness.runs.get(tenant.id)!.items(tenant.id, restore.id);
      return { preview: page, restore, items, before };
    },
  };
}

describe('restore matching: never ambiguous, never two items onto one live object', () => {
  const { harness, objects, writesSince, backup, items, previewAndRestore } = restoreHarness({ seedDemoTenants: false });

  beforeAll(() => {
    harness.emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: {} } });
    harness.emulator.admin.resetTenant(FABRIKAM.directoryId, { displayName: 'Fabrikam', seed: { policiesPerType: 0, counts: {} } });
  });

  const policy = (displayName: string, description: string) => ({ '@odata.type': WINDOWS, displayName, description, roleScopeTagIds: ['0'], passwordRequired: true });

  it('two same-named policies restored into a tenant holding one policy of that name: preview ambiguous for both, the restore writes nothing', async () => {
    for (const description of ['first', 'second']) harness.emulator.admin.putObject(CONTOSO.directoryId, 'deviceConfiguration', policy('Twin policy', description));
    const backupSetId = await backup(CONTOSO, ['deviceConfiguration']);
    const twins = (await items(CONTOSO, backupSetId)).filter((item) => item.displayName === 'Twin policy');
    expect(twins).toHaveLength(2);
    const inFabrikam = harness.emulator.admin.putObject(FABRIKAM.directoryId, 'deviceConfiguration', policy('Twin policy', 'Fabrikam own'))!;

    const { preview, items: restored, restore, before } = await previewAndRestore(FABRIKAM, CONTOSO, backupSetId, { backupItemIds: twins.map((twin) => twin.id) });
    expect(preview.totals).toMatchObject({ ambiguous: 2, create: 0, update: 0 });
    for (const item of preview.items) {
      const other = twins.find((twin) => twin.id !== item.backupItemId)!;
      expect(item).toMatchObject<Partial<RestorePreviewItemView>>({
        action: 'ambiguous',
        reason: 'ambiguous_match',
        request: null,
        liveId: null,
        ambiguity: { reason: 'several_backup_items', candidateIds: [String(inFabrikam.id)], backupItemIds: [other.id] },
      });
    }
    expect(restore.status).toBe(RunStatus.Succeeded);
    expect(restored.map((item) => [item.status, item.outcome])).toEqual([
      ['skipped', 'ambiguous'],
      ['skipped', 'ambiguous'],
    ]);
    expect(restore.summary).toMatchObject({ ambiguous: 2, created: 0, updated: 0 });
    expect(writesSince(before, FABRIKAM)).toEqual([]);
    expect(objects(FABRIKAM, 'deviceConfiguration')).toEqual([inFabrikam]);
  });

  it('a policy gone from its tenant while two live policies carry its name: ambiguous with both ids, neither is overwritten', async () => {
    const original = harness.emulator.admin.putObject(CONTOSO.directoryId, 'deviceConfiguration', policy('Solo policy', 'as backed up'))!;
    const backupSetId = await backup(CONTOSO, ['deviceConfiguration']);
    const [solo] = (await items(CONTOSO, backupSetId)).filter((item) => item.displayName === 'Solo policy');
    harness.emulator.admin.deleteObject(CONTOSO.directoryId, 'deviceConfiguration', String(original.id));
    const copies = ['copy one', 'copy two'].map((description) => harness.emulator.admin.putObject(CONTOSO.directoryId, 'deviceConfiguration', policy('Solo policy', description))!);

    const { preview, items: restored, before } = await previewAndRestore(CONTOSO, CONTOSO, backupSetId, { backupItemIds: [solo.id] });
    expect(preview.items).toEqual([expect.objectContaining({ action: 'ambiguous', request: null, ambiguity: expect.objectContaining({ reason: 'several_live_matches', backupItemIds: [] }) })]);
    expect([...preview.items[0].ambiguity!.candidateIds].sort()).toEqual(copies.map((copy) => String(copy.id)).sort());
    expect(restored).toEqual([expect.objectContaining({ status: 'skipped', outcome: 'ambiguous' })]);
    expect(writesSince(before, CONTOSO)).toEqual([]);
    for (const copy of copies) expect(harness.emulator.admin.getObject(CONTOSO.directoryId, 'deviceConfiguration', String(copy.id))).toEqual(copy);
  });
});

// Needs the rebuilt emulator (GRAPH-WIRE.md §9, §10): groups seeded per demo tenant with the same
// display names under different ids (one name twice in a tenant), `GET /v1.0/groups` with `$filter`,
// `GET /v1.0/groups/{id}`, and the notificationMessageTemplates collection.
describe('cross-tenant restore maps groups, scope tags and filters by name and reports what it cannot map', () => {
  const { harness, objects, backup, items, previewAndRestore } = restoreHarness({ seedDemoTenants: true });
  let factory: GraphClientFactory;

  beforeAll(() => {
    factory = new GraphClientFactory({ credentials: { ...DEMO_GRAPH_APP }, graphBaseUrl: harness.emulator.url, networkClient: createRedirectingNetworkClient(harness.emulator.url), pacing: false });
  });
  afterAll(() => factory?.close());

  const groupsOf = (tenant: Tenant): Promise<GraphObject[]> => factory.forTenant(tenant.directoryId, { readOnly: true }).listAll<GraphObject>('/v1.0/groups?$select=id,displayName');
  const count = (groups: GraphObject[], name: unknown) => groups.filter((group) => group.displayName === name).length;

  it('assignments, scope tags and the filter land on the Fabrikam objects of the same names; the rest is reported per item', async () => {
    const [contosoGroups, fabrikamGroups] = await Promise.all([groupsOf(CONTOSO), groupsOf(FABRIKAM)]);
    const shared = contosoGroups.find((group) => count(contosoGroups, group.displayName) === 1 && count(fabrikamGroups, group.displayName) === 1);
    expect(shared).toBeDefined();
    const unmappable = contosoGroups.find((group) => count(fabrikamGroups, group.displayName) !== 1);
    const { admin } = harness.emulator;
    const tag = (tenant: Tenant, displayName: string) => admin.putObject(tenant.directoryId, 'scopeTag', { displayName, description: 'Region', isBuiltIn: false })!;
    const filter = (tenant: Tenant) => admin.putObject(tenant.directoryId, 'assignmentFilter', { displayName: 'Mapped by name', platform: 'windows10AndLater', rule: '(device.deviceOwnership -eq "Corporate")', roleScopeTags: ['0'] })!;
    const [contosoTag, fabrikamTag, onlyInContoso] = [tag(CONTOSO, 'EMEA mapped'), tag(FABRIKAM, 'EMEA mapped'), tag(CONTOSO, 'Only in Contoso')];
    const [contosoFilter, fabrikamFilter] = [filter(CONTOSO), filter(FABRIKAM)];
    admin.putObject(CONTOSO.directoryId, 'deviceConfiguration', {
      '@odata.type': WINDOWS,
      displayName: 'Mapped across tenants',
      roleScopeTagIds: ['0', String(contosoTag.id), String(onlyInContoso.id)],
      passwordRequired: true,
      assignments: [
        {
          id: 'a1',
          target: {
            '@odata.type': '#microsoft.graph.groupAssignmentTarget',
            groupId: shared!.id,
            deviceAndAppManagementAssignmentFilterId: contosoFilter.id,
            deviceAndAppManagementAssignmentFilterType: 'include',
          },
        },
        ...(unmappable ? [{ id: 'a2', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: unmappable.id } }] : []),
      ],
    });
    const backupSetId = await backup(CONTOSO, ['deviceConfiguration']);
    const [item] = (await items(CONTOSO, backupSetId)).filter((candidate) => candidate.displayName === 'Mapped across tenants');
    // The names were recorded at capture, next to the version (the snapshot itself is Graph's object).
    expect(item.references).toMatchObject({ group: { [String(shared!.id)]: shared!.displayName }, scopeTag: { [String(contosoTag.id)]: 'EMEA mapped' }, filter: { [String(contosoFilter.id)]: 'Mapped by name' } });

    const { preview, items: restored } = await previewAndRestore(FABRIKAM, CONTOSO, backupSetId, { backupItemIds: [item.id], includeAssignments: true });
    const expectedUnmapped = [
      { kind: 'scopeTag', id: onlyInContoso.id, name: 'Only in Contoso', reason: 'not_in_target_tenant', blocking: false },
      ...(unmappable
        ? [{ kind: 'group', id: unmappable.id, name: unmappable.displayName, reason: count(fabrikamGroups, unmappable.displayName) === 0 ? 'not_in_target_tenant' : 'several_in_target_tenant', blocking: false }]
        : []),
    ];
    expect(preview.items).toEqual([expect.objectContaining({ action: 'create', unmapped: expectedUnmapped })]);
    expect(preview.items[0].request?.body.roleScopeTagIds).toEqual(['0', fabrikamTag.id]);
    expect(restored).toEqual([expect.objectContaining({ status: 'succeeded', outcome: 'created', result: expect.objectContaining({ unmapped: expectedUnmapped }) })]);
    const created = objects(FABRIKAM, 'deviceConfiguration').find((object) => object.id === restored[0].result?.newId)!;
    expect(created.roleScopeTagIds).toEqual(['0', fabrikamTag.id]);
    expect(created.assignments).toMatchObject([
      { target: { groupId: fabrikamGroups.find((group) => group.displayName === shared!.displayName)!.id, deviceAndAppManagementAssignmentFilterId: fabrikamFilter.id } },
    ]);
  });
});

// Restore preview and live restore end to end (US4, US3): gateway / run-service → JetStream →
// restore-worker → Graph emulator, with backup sets made by the real capture-worker. The emulator's
// journal proves what was (not) written; the worker is killed mid-run to prove no double writes.
import {
  AuditRpc,
  DEMO_GRAPH_APP,
  RestoreRpc,
  RunRpc,
  RunStatus,
  RunType,
  type AuditEventView,
  type Page,
  type RestorePreviewItemView,
  type RestorePreviewPage,
  type RunItemView,
  type StartRunReply,
} from '@policyvault/contracts';
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

const CONTOSO_POLICIES = { deviceConfiguration: 4, settingsCatalogPolicy: 2, compliancePolicy: 2, assignmentFilter: 1 };
/** The backup set: three policy types and the foundations (filters, scope tags: the seeded filter and the built-in scope tag `0`). */
const BACKUP_TYPES = ['deviceConfiguration', 'settingsCatalogPolicy', 'compliancePolicy'];
const SET_TYPES = [...BACKUP_TYPES, 'assignmentFilter', 'scopeTag'];
const CONTOSO_OWNER = { userId: '5d1b7a10-0000-4000-8000-000000000001', email: 'owner@contoso.test' };
const FABRIKAM_OWNER = { userId: '5d1b7a10-0000-4000-8000-000000000004', email: 'owner@fabrikam.test' };
const FILTER_NAME = 'Corporate Windows devices';
const GROUP_IN_CONTOSO = '11111111-2222-4333-8444-555555555555';

type GraphObject = Record<string, unknown>;

describe('restore preview and live restore (US4, US3) with the Graph emulator', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let runs: GatewayRuns;
  let rpc: NatsRpc;
  let backupSetId: string;
  /** Items in the backup set; one of them is the built-in scope tag, which every preview and restore skips. */
  let setSize: number;
  const snapshots = new Map<string, GraphObject>();

  const objects = (type: string, tenant = CONTOSO.directoryId) => emulator.admin.listObjects(tenant, type)!;
  const writesSince = (seq: number, tenant = CONTOSO.directoryId) => emulator.journal.writes({ tenant, sinceSeq: seq });

  const previewOf = async (tenantId: string, runId: string): Promise<{ page: RestorePreviewPage; items: RestorePreviewItemView[] }> => {
    const items: RestorePreviewItemView[] = [];
    let cursor: string | null = null;
    let page: RestorePreviewPage;
    do {
      page = await rpc.request<RestorePreviewPage>(RestoreRpc.getPreview, { tenantId, runId, limit: 4, ...(cursor ? { cursor } : {}) });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return { page, items };
  };

  const startRestore = async (tenantId: string, tenantDirectoryId: string, body: { target: object; scope?: object; confirmation: object }, initiator = CONTOSO_OWNER) => {
    // The gateway does not pass `confirmation` on yet: live restores start through run-service's RPC.
    const reply = await rpc.request<StartRunReply>(RunRpc.start, {
      tenantId,
      tenantDirectoryId,
      // The display name the gateway would send along: a typed-back confirmation is checked against it.
      tenantDisplayName: [CONTOSO, FABRIKAM].find((tenant) => tenant.id === tenantId)?.displayName,
      type: RunType.RestoreExecute,
      target: body.target,
      scope: body.scope ?? {},
      initiator,
      confirmation: body.confirmation,
    });
    return reply.run.id;
  };

  const preview = async (scope: object = {}) => {
    const { reply } = await runs.start(CONTOSO.id, { type: RunType.RestorePreview, target: { backupSetId }, scope });
    return runs.waitUntilTerminal(CONTOSO.id, reply.run.id);
  };

  /** The profile US4 changes: a Windows 10 general configuration (a type that declares `passwordMinimumLength`), not the assigned first one. */
  const changedProfile = () =>
    objects('deviceConfiguration').find((object, index) => index > 0 && object['@odata.type'] === '#microsoft.graph.windows10GeneralConfiguration' && snapshots.has(String(object.id)))!;

  const byBackupItem = (items: RunItemView[]) => new Map(items.map((item) => [item.itemKey.replace('backup-item:', ''), item]));

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: CONTOSO_POLICIES } });
    emulator.admin.resetTenant(FABRIKAM.directoryId, { displayName: 'Fabrikam', seed: { policiesPerType: 0, counts: {} } });
    // One Contoso policy assigned to all devices through a filter, and to a Contoso group.
    const [filter] = objects('assignmentFilter');
    emulator.admin.patchObject(CONTOSO.directoryId, 'assignmentFilter', String(filter.id), { displayName: FILTER_NAME });
    emulator.admin.patchObject(CONTOSO.directoryId, 'deviceConfiguration', String(objects('deviceConfiguration')[0].id), {
      assignments: [
        { id: 'a1', target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget', deviceAndAppManagementAssignmentFilterId: filter.id, deviceAndAppManagementAssignmentFilterType: 'include' } },
        { id: 'a2', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: GROUP_IN_CONTOSO } },
      ],
    });
    stack = await startStack({
      services: ['run-service', 'capture-worker', 'restore-worker', 'gateway'],
      env: { ...graphEmulatorEnv(emulator.url), COMMAND_ACK_WAIT_MS: '3000' },
    });
    runs = gatewayRuns(stack.gatewayUrl, await stack.token('operator@contoso.test'));
    rpc = await connectNatsRpc(stack.nats.namespace);

    const { reply } = await runs.start(CONTOSO.id, {
      type: RunType.BackupSetCreate,
      target: { name: 'Before the change' },
      scope: { policyTypes: BACKUP_TYPES, includeFoundations: true },
    });
    setSize = SET_TYPES.reduce((sum, type) => sum + objects(type).length, 0);
    const backup = await runs.waitUntilTerminal(CONTOSO.id, reply.run.id);
    expect(backup).toMatchObject({ status: RunStatus.Succeeded, counts: { total: setSize, succeeded: setSize } });
    backupSetId = String(backup.summary?.backupSetId);
    for (const type of Object.keys(CONTOSO_POLICIES)) for (const object of objects(type)) snapshots.set(String(object.id), object);
  }, 120_000);

  afterAll(async () => {
    await rpc?.close();
    await stack?.close();
    await emulator?.close();
  });

  it('US4: changed → update naming the changed fields, deleted → create, untouched → no_change; zero writes; persisted and tenant-scoped', async () => {
    const changed = changedProfile();
    expect(changed).toHaveProperty('passwordMinimumLength');
    const deleted = objects('deviceConfiguration').find((object, index) => index > 0 && object.id !== changed.id)!;
    const [catalog] = objects('settingsCatalogPolicy');
    emulator.admin.patchObject(CONTOSO.directoryId, 'deviceConfiguration', String(changed.id), { description: 'changed in the portal', passwordMinimumLength: 4 });
    const settings = structuredClone(catalog.settings as GraphObject[]);
    const replacedDefinitionId = String((settings[0].settingInstance as GraphObject).settingDefinitionId);
    (settings[0].settingInstance as GraphObject).settingDefinitionId = 'device_vendor_msft_policy_config_changed';
    emulator.admin.patchObject(CONTOSO.directoryId, 'settingsCatalogPolicy', String(catalog.id), { settings });
    emulator.admin.deleteObject(CONTOSO.directoryId, 'deviceConfiguration', String(deleted.id));
    const before = emulator.journal.lastSeq;

    const run = await preview();
    expect(run).toMatchObject({ status: RunStatus.Succeeded, counts: { total: setSize, succeeded: setSize - 1, skipped: 1, failed: 0 } });
    expect(writesSince(before)).toEqual([]);
    expect(emulator.journal.list({ sinceSeq: before }).filter((entry) => entry.kind !== 'token').length).toBeGreaterThan(0);

    const { page, items } = await previewOf(CONTOSO.id, run.id);
    expect(items).toHaveLength(setSize);
    expect(page.totals).toEqual({ create: 1, update: 2, no_change: setSize - 4, skipped: 1, ambiguous: 0 });
    // Intune's own scope tag is in the set (a foundation) but never written: skipped as built in, no request planned.
    expect(items.filter((item) => item.action === 'skipped')).toMatchObject([{ policyType: 'scopeTag', displayName: 'Default', reason: 'built_in', request: null, requests: [] }]);
    const byLiveOrOriginal = (id: string) => items.find((item) => item.liveId === id || (item.action === 'create' && item.displayName === snapshots.get(id)?.displayName))!;
    const update = byLiveOrOriginal(String(changed.id));
    expect(update).toMatchObject({ action: 'update', matchedBy: 'id', request: { method: 'PATCH', path: `/beta/deviceManagement/deviceConfigurations/${changed.id}` } });
    expect(update.differences).toEqual([
      { path: 'description', live: 'changed in the portal', snapshot: changed.description },
      { path: 'passwordMinimumLength', live: 4, snapshot: changed.passwordMinimumLength },
    ]);
    expect(update.request!.body).toMatchObject({ description: changed.description, displayName: changed.displayName });
    for (const readOnly of ['id', 'createdDateTime', 'lastModifiedDateTime', 'version', 'supportsScopeTags', 'assignments']) expect(update.request!.body).not.toHaveProperty(readOnly);
    expect(byLiveOrOriginal(String(catalog.id))).toMatchObject({
      action: 'update',
      request: { method: 'PUT' },
      // Settings are compared by setting definition: the replaced one is gone, the new one is there.
      differences: [
        { path: `settings[${replacedDefinitionId}]`, snapshot: expect.objectContaining({ settingInstance: expect.objectContaining({ settingDefinitionId: replacedDefinitionId }) }) },
        { path: 'settings[device_vendor_msft_policy_config_changed]', live: expect.objectContaining({ settingInstance: expect.objectContaining({ settingDefinitionId: 'device_vendor_msft_policy_config_changed' }) }) },
      ],
    });
    expect(byLiveOrOriginal(String(deleted.id))).toMatchObject({
      action: 'create',
      matchedBy: null,
      liveId: null,
      request: { method: 'POST', path: '/beta/deviceManagement/deviceConfigurations', body: { displayName: deleted.displayName, '@odata.type': deleted['@odata.type'] } },
    });
    expect(items.filter((item) => item.action === 'no_change').every((item) => item.matchedBy === 'id' && item.differences.length === 0 && item.request === null)).toBe(true);

    // Read again (no recompute: the journal does not move), and only in its own tenant.
    const seq = emulator.journal.lastSeq;
    expect((await previewOf(CONTOSO.id, run.id)).items).toEqual(items);
    expect(emulator.journal.lastSeq).toBe(seq);
    // Another tenant's preview: `other_tenant` with its owner (the gateway turns it into 403 or 404).
    expect(await rpc.requestError(RestoreRpc.getPreview, { tenantId: FABRIKAM.id, runId: run.id })).toMatchObject({ code: 'other_tenant' });
  });

  it('US3: execute puts the changed policies back, re-creates the deleted one (new id recorded), writes once per item; a second preview shows no_change; audited', async () => {
    const confirmed = await preview();
    expect(confirmed.status).toBe(RunStatus.Succeeded);
    const before = emulator.journal.lastSeq;
    const runId = await startRestore(CONTOSO.id, CONTOSO.directoryId, { target: { backupSetId }, confirmation: { previewRunId: confirmed.id } });
    const run = await runs.waitUntilTerminal(CONTOSO.id, runId);
    expect(run).toMatchObject({ status: RunStatus.Succeeded, counts: { total: setSize, succeeded: setSize - 1, skipped: 1, failed: 0 } });

    const items = await runs.items(CONTOSO.id, runId);
    expect(items.map((item) => item.outcome).sort()).toEqual(['created', ...Array(setSize - 4).fill('no_change'), 'skipped', 'updated', 'updated']);
    expect(items.find((item) => item.outcome === 'skipped')).toMatchObject({ status: 'skipped', result: { action: 'skipped', policyType: 'scopeTag', reason: 'built_in' } });
    const changed = changedProfile();
    expect(emulator.admin.getObject(CONTOSO.directoryId, 'deviceConfiguration', String(changed.id))).toMatchObject({
      description: snapshots.get(String(changed.id))!.description,
      passwordMinimumLength: snapshots.get(String(changed.id))!.passwordMinimumLength,
    });
    const created = items.find((item) => item.outcome === 'created')!;
    const original = snapshots.get(String(created.result?.previousId))!;
    const recreated = objects('deviceConfiguration').find((object) => object.displayName === original.displayName)!;
    expect(recreated.id).not.toBe(original.id);
    expect(created.result).toMatchObject({ action: 'create', previousId: original.id, newId: recreated.id, liveId: recreated.id });
    // The snapshot's content, whatever the profile's type (server-set properties are the new object's own; assignments were not asked for).
    const { id: _id, createdDateTime: _created, lastModifiedDateTime: _modified, version: _version, supportsScopeTags: _supports, assignments: _assignments, ...content } = original;
    expect(recreated).toMatchObject(content);
    const [catalog] = objects('settingsCatalogPolicy');
    expect(((catalog.settings as GraphObject[])[0].settingInstance as GraphObject).settingDefinitionId).not.toBe('device_vendor_msft_policy_config_changed');

    const writes = writesSince(before);
    expect(writes.map((write) => `${write.method} ${write.path}`).sort()).toEqual(
      [`PATCH /beta/deviceManagement/deviceConfigurations/${changed.id}`, `PUT /beta/deviceManagement/configurationPolicies/${catalog.id}`, 'POST /beta/deviceManagement/deviceConfigurations'].sort(),
    );

    const again = await preview();
    expect(again.status).toBe(RunStatus.Succeeded);
    expect((await previewOf(CONTOSO.id, again.id)).page.totals).toEqual({ create: 0, update: 0, no_change: setSize - 1, skipped: 1, ambiguous: 0 });

    const audit = await rpc.request<Page<AuditEventView>>(AuditRpc.list, { tenantId: CONTOSO.id, runId });
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ action: 'restore.executed', runId, actor: CONTOSO_OWNER.email, details: { backupSetId } });
    expect((audit.items[0].details.items as unknown[]).length).toBe(setSize);
    const everything = JSON.stringify({ run, items, audit });
    expect(everything).not.toContain(DEMO_GRAPH_APP.clientSecret);
    expect(everything).not.toMatch(/bearer|eyJ[A-Za-z0-9_-]{10,}|client_secret|access_token/i);
  });

  it('a 400 from Graph for one item → partial: that item failed with its safe error, the others done', async () => {
    const [, failing, fine] = objects('deviceConfiguration').filter((object) => snapshots.has(String(object.id)));
    for (const object of [failing, fine]) emulator.admin.patchObject(CONTOSO.directoryId, 'deviceConfiguration', String(object.id), { description: 'drifted' });
    emulator.admin.setFaults(CONTOSO.directoryId, { failIds: { [String(failing.id)]: 400 } });
    const runId = await startRestore(CONTOSO.id, CONTOSO.directoryId, { target: { backupSetId }, confirmation: { tenantName: CONTOSO.displayName } });
    const run = await runs.waitUntilTerminal(CONTOSO.id, runId);
    emulator.admin.setFaults(CONTOSO.directoryId, undefined);
    expect(run).toMatchObject({ status: RunStatus.Partial, counts: { total: setSize, succeeded: setSize - 2, skipped: 1, failed: 1 } });
    const items = byBackupItem(await runs.items(CONTOSO.id, runId));
    const failed = [...items.values()].find((item) => item.status === 'failed')!;
    expect(failed).toMatchObject({ outcome: 'failed', result: { previousId: failing.id, action: 'update' }, error: { code: 'graph_bad_request', context: { httpStatus: 400, policyType: 'deviceConfiguration' } } });
    expect(failed.error?.message).not.toMatch(/Injected/);
    expect([...items.values()].find((item) => item.result?.liveId === fine.id)).toMatchObject({ status: 'succeeded', outcome: 'updated' });
    expect(emulator.admin.getObject(CONTOSO.directoryId, 'deviceConfiguration', String(fine.id))?.description).toBe(snapshots.get(String(fine.id))!.description);
  });

  it('the restore-worker killed mid-run (SIGKILL) → the redelivery completes the run, exactly one write per item', async () => {
    const live = (type: string) => objects(type).map((object) => [type, String(object.id)] as const);
    const targets = [...live('deviceConfiguration'), ...live('settingsCatalogPolicy'), ...live('compliancePolicy')];
    for (const [type, id] of targets) emulator.admin.patchObject(CONTOSO.directoryId, type, id, { description: `drifted ${id}` });
    emulator.admin.setFaults(CONTOSO.directoryId, { latencyMs: { min: 250, max: 250 } });
    const before = emulator.journal.lastSeq;
    const runId = await startRestore(CONTOSO.id, CONTOSO.directoryId, { target: { backupSetId }, confirmation: { tenantName: CONTOSO.displayName } });
    await waitFor(() => runs.get(CONTOSO.id, runId), (run) => run.counts.succeeded >= 2, { intervalMs: 20, what: 'two items restored' });
    const worker = stack.services.find((service) => service.name.startsWith('restore-worker'))!;
    await worker.kill();
    const doneAtKill = (await runs.get(CONTOSO.id, runId)).counts.succeeded;
    expect(doneAtKill).toBeLessThan(setSize - 1);
    await stack.start('restore-worker');
    const run = await runs.waitUntilTerminal(CONTOSO.id, runId, { timeoutMs: 40_000 });
    emulator.admin.setFaults(CONTOSO.directoryId, undefined);
    expect(run).toMatchObject({ status: RunStatus.Succeeded, counts: { total: setSize, succeeded: setSize - 1, skipped: 1, failed: 0 } });

    const writes = writesSince(before);
    const perObject = new Map<string, number>();
    for (const write of writes) perObject.set(write.path, (perObject.get(write.path) ?? 0) + 1);
    expect(writes.every((write) => write.status < 300)).toBe(true);
    expect([...perObject.values()].every((count) => count === 1)).toBe(true);
    expect(perObject.size).toBe(targets.length);
    for (const [type, id] of targets) expect(emulator.admin.getObject(CONTOSO.directoryId, type, id)?.description).not.toBe(`drifted ${id}`);
    const items = await runs.items(CONTOSO.id, runId);
    expect(items.filter((item) => item.outcome === 'updated')).toHaveLength(targets.length);
  });

  it('cross-tenant: a Contoso backup set restored into Fabrikam creates the objects there; ids and assignment mappings recorded', async () => {
    // The filter exists in Fabrikam under the same name (mapped by name); the Contoso group does not.
    const fabrikamFilter = emulator.admin.putObject(FABRIKAM.directoryId, 'assignmentFilter', { displayName: FILTER_NAME, platform: 'windows10AndLater', rule: '(device.deviceOwnership -eq "Corporate")' })!;
    const before = emulator.journal.lastSeq;
    const runId = await startRestore(
      FABRIKAM.id,
      FABRIKAM.directoryId,
      { target: { backupSetId, sourceTenantId: CONTOSO.id }, scope: { includeAssignments: true }, confirmation: { tenantName: FABRIKAM.displayName } },
      FABRIKAM_OWNER,
    ).catch((error: { message?: string }) => {
      throw new Error(`cross-tenant restore needs RestoreTarget.sourceTenantId in libs/contracts: ${error?.message ?? String(error)}`);
    });
    const fabrikamRuns = gatewayRuns(stack.gatewayUrl, await stack.token('owner@fabrikam.test'));
    const run = await fabrikamRuns.waitUntilTerminal(FABRIKAM.id, runId);
    expect(run).toMatchObject({ status: RunStatus.Succeeded, counts: { total: setSize, skipped: 1, failed: 0 } });
    const items = await fabrikamRuns.items(FABRIKAM.id, runId);
    const created = items.filter((item) => item.outcome === 'created');
    // Every policy; not the filter (matched by name) nor the built-in scope tag (Fabrikam has its own `0`).
    expect(created).toHaveLength(setSize - 2);
    expect(items.find((item) => item.result?.policyType === 'assignmentFilter')).toMatchObject({ status: 'succeeded', result: { matchedBy: 'name', liveId: fabrikamFilter.id } });
    for (const item of created) {
      expect(item.result).toMatchObject({ action: 'create', sourceTenantId: CONTOSO.id, previousId: expect.any(String), newId: expect.any(String) });
      expect(item.result?.newId).not.toBe(item.result?.previousId);
    }
    const assigned = created.find((item) => item.result?.previousId === objects('deviceConfiguration')[0].id)!;
    expect(assigned.result?.assignments).toEqual({
      restored: 1,
      unchanged: false,
      blocked: false,
      inheritedSkipped: 0,
      // The emulator has no such group: no name was recorded at capture, so none can be looked up in Fabrikam.
      unmapped: [{ kind: 'group', id: GROUP_IN_CONTOSO, reason: 'name_not_captured' }],
    });
    const inFabrikam = emulator.admin.getObject(FABRIKAM.directoryId, 'deviceConfiguration', String(assigned.result?.newId))!;
    expect(inFabrikam.assignments).toMatchObject([{ target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget', deviceAndAppManagementAssignmentFilterId: fabrikamFilter.id } }]);
    expect(writesSince(before, CONTOSO.directoryId)).toEqual([]);
    expect(objects('deviceConfiguration', FABRIKAM.directoryId)).toHaveLength(4);
  });
});

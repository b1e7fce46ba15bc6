// Graph conformance per policy type (issue 11): every supported type is created the way an administrator
// creates it, captured by the capture-worker, deleted, previewed (nothing written), restored by the
// restore-worker, compared with the original, changed again behind the backup's back and restored once
// more — through the real services, against the Graph emulator (which validates bodies against Graph's
// own metadata and journals every request, so each write is asserted exactly) and, when
// GRAPH_CONFORMANCE_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET are set, against that real tenant.
import {
  BackupStoreRpc,
  RestoreRpc,
  RunRpc,
  RunStatus,
  RunType,
  TERMINAL_RUN_STATUSES,
  type Page,
  type PolicyView,
  type RestorePreviewItemView,
  type RestorePreviewPage,
  type RunItemView,
  type RunView,
  type StartRunReply,
} from '@policyvault/contracts';
import { randomUUID } from 'node:crypto';
import { readPolicySnapshot, type GraphClient } from '@policyvault/graph';
import { CONTOSO, FABRIKAM, connectNatsRpc, startStack, waitFor, type NatsRpc, type Stack } from '@policyvault/testing';
import { emulatorTarget, realTenantSettings, realTenantTarget, type ConformanceTarget } from './graph-conformance/conformance-target.js';
import { CONFORMANCE_FIXTURES, SECRET_CANARY, type ConformanceFixture, type ExpectedRequest } from './graph-conformance/type-fixtures.js';

type GraphObject = Record<string, unknown>;

const OWNER = { userId: '5d1b7a10-0000-4000-8000-000000000001', email: 'owner@contoso.test' };
const GROUP_NAME = 'PolicyVault conformance pilots';
/** Properties Graph sets itself: they differ between an object and its restored copy by design. */
const SERVER_SET = new Set(['id', 'createdDateTime', 'lastModifiedDateTime', 'modifiedDateTime', 'version', 'secretReferenceValueId', '@odata.context', 'isAssigned', 'deployedAppCount', 'priority']);

/** A snapshot as it should survive a round trip: server-set values and relation item ids left out. */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value as GraphObject)
      .filter(([key]) => key === '@odata.type' || (!SERVER_SET.has(key) && !key.includes('@odata.')))
      .map(([key, child]) => [key, comparable(child)]),
  );
}

/**
 * What an object should look like once restored: every id of another fixture's object it names (a Conditional
 * Access policy's location, a policy set's members) replaced by the id that object has after the restore.
 */
function withRestoredReferences(value: unknown, restoredIdOf: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return restoredIdOf.get(value) ?? value;
  if (Array.isArray(value)) return value.map((entry) => withRestoredReferences(entry, restoredIdOf));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value as GraphObject).map(([key, child]) => [key, key === 'id' ? child : withRestoredReferences(child, restoredIdOf)]));
}

/** A restored assignment names the group of the tenant it was restored into; ids of assignments differ. */
const assignmentGroups = (snapshot: GraphObject) => ((snapshot.assignments as GraphObject[] | undefined) ?? []).map((assignment) => (assignment.target as GraphObject).groupId).sort();

function matches(expected: ExpectedRequest, entry: { method: string; path: string }): boolean {
  const pattern = new RegExp(`^${expected[1].replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(id|templateId)\}/g, '[^/]+')}$`);
  return entry.method === expected[0] && pattern.test(entry.path);
}

function describeConformance(name: string, open: () => Promise<ConformanceTarget>, groupIdFor: (target: ConformanceTarget) => Promise<string | undefined>) {
  describe(`Graph conformance of every policy type against ${name}`, () => {
    let target: ConformanceTarget;
    let graph: GraphClient;
    let stack: Stack;
    let rpc: NatsRpc;
    let backupSetId: string;
    let groupId: string | undefined;
    const prefix = `PV conformance ${Date.now().toString(36)}`;
    const originals = new Map<string, { id: string; snapshot: GraphObject }>();
    const restoredIds = new Map<string, string>();
    const createdIds: Array<{ fixture: ConformanceFixture; id: string }> = [];
    /** Journal of the product's own requests per step (emulator only). */
    const steps = new Map<string, Array<{ method: string; path: string; query?: string; status: number; bodyKeys?: string[]; objectName?: string; createdId?: string }>>();

    const startRun = async (type: RunType, runTarget: object, scope: object, extra: object = {}, tenant = CONTOSO.id, directoryId = target.directoryId): Promise<RunView> => {
      const reply = await rpc.request<StartRunReply>(RunRpc.start, { tenantId: tenant, tenantDirectoryId: directoryId, type, target: runTarget, scope, initiator: OWNER, ...extra });
      return waitFor(() => rpc.request<RunView>(RunRpc.get, { tenantId: tenant, runId: reply.run.id }), (run) => TERMINAL_RUN_STATUSES.includes(run.status), {
        timeoutMs: 120_000,
        intervalMs: 200,
        what: `${type} run to end`,
      });
    };
    const runItems = async (runId: string, tenant = CONTOSO.id) => (await rpc.request<Page<RunItemView>>(RunRpc.listItems, { tenantId: tenant, runId, limit: 200 })).items;
    const previewItems = async (runId: string, tenant = CONTOSO.id): Promise<RestorePreviewItemView[]> =>
      (await rpc.request<RestorePreviewPage>(RestoreRpc.getPreview, { tenantId: tenant, runId, limit: 200 })).items;
    /** Runs `work` and keeps what the product asked of Graph meanwhile (the emulator's journal). */
    const step = async <T>(stepName: string, work: () => Promise<T>): Promise<T> => {
      const since = target.emulator?.journal.lastSeq ?? 0;
      const result = await work();
      if (target.emulator) steps.set(stepName, target.emulator.journal.list({ tenant: target.directoryId, sinceSeq: since }).filter((entry) => entry.kind !== 'token'));
      return result;
    };
    /**
     * A write of the fixture's restored object (several types share a collection: enrollment kinds): its
     * create (the new id, or the object's name) or a request on its path.
     */
    const ownWrite = (fixture: ConformanceFixture, entry: { path: string; objectName?: string; createdId?: string }) => {
      const id = restoredIds.get(fixture.type);
      return (id !== undefined && (entry.createdId === id || entry.path.split('/').includes(id))) || entry.objectName === `${prefix} ${fixture.type}`;
    };
    /**
     * The writes of a step that Graph acted on. With over forty types a restore meets Intune's write budget: a 429
     * changed nothing and the product sends the same request again after Retry-After (checked below), so the
     * throttled attempts are left out of the exact request lists.
     */
    const writesOf = (stepName: string) => (steps.get(stepName) ?? []).filter((entry) => entry.method !== 'GET' && !entry.path.endsWith('/$batch') && entry.status !== 429);
    /** Every throttled write of a step was sent again, to the same path, and Graph took it. */
    const expectThrottledWritesRetried = (stepName: string) => {
      const entries = (steps.get(stepName) ?? []).filter((entry) => entry.method !== 'GET' && !entry.path.endsWith('/$batch'));
      entries.forEach((entry, index) => {
        if (entry.status !== 429) return;
        expect([entry.method, entry.path, entries.slice(index + 1).some((later) => later.method === entry.method && later.path === entry.path && later.status < 400)]).toEqual([entry.method, entry.path, true]);
      });
    };
    const read = async (fixture: ConformanceFixture, id: string): Promise<GraphObject> => {
      const result = await readPolicySnapshot(graph, fixture.type, id);
      if (!('ok' in result) || !result.ok) throw new Error(`${fixture.type} ${id} cannot be read back`);
      return result.snapshot.object;
    };
    /** Original id → restored id of every fixture's object, for what objects reference (empty until restored). */
    const restoredIdOf = () => new Map([...restoredIds].map(([type, id]) => [originals.get(type)!.id, id]));
    const expectedAfterRestore = (type: string) => comparable({ ...(withRestoredReferences(originals.get(type)!.snapshot, restoredIdOf()) as GraphObject), assignments: undefined });
    const restore = (stepName: string, previewRunId: string) => step(stepName, () => startRun(RunType.RestoreExecute, { backupSetId }, { includeAssignments: true }, { confirmation: { previewRunId } }));

    beforeAll(async () => {
      target = await open();
      graph = target.graph;
      groupId = await groupIdFor(target);
      for (const fixture of CONFORMANCE_FIXTURES) {
        const id = await fixture.create(graph, `${prefix} ${fixture.type}`, groupId, (type) => originals.get(type)!.id);
        createdIds.push({ fixture, id });
        originals.set(fixture.type, { id, snapshot: await read(fixture, id) });
      }
      stack = await startStack({ services: ['run-service', 'capture-worker', 'restore-worker'], env: target.stackEnv });
      rpc = await connectNatsRpc(stack.nats.namespace);
    }, 180_000);

    afterAll(async () => {
      // A real tenant keeps nothing of the suite: originals (if still there) and restored copies go.
      for (const { fixture, id } of [...createdIds, ...[...restoredIds].map(([type, id]) => ({ fixture: CONFORMANCE_FIXTURES.find((candidate) => candidate.type === type)!, id }))]) {
        await graph?.request({ method: 'DELETE', path: fixture.objectPath(id) }).catch(() => undefined);
      }
      await rpc?.close();
      await stack?.close();
      await target?.close();
    });

    it('captures every type into one backup set, reading each the way Graph serves it', async () => {
      const sync = await step('sync', () => startRun(RunType.InventorySync, {}, { policyTypes: CONFORMANCE_FIXTURES.map((fixture) => fixture.type) }));
      expect(sync.status).toBe(RunStatus.Succeeded);
      const inventory = await rpc.request<Page<PolicyView>>(BackupStoreRpc.listPolicies, { tenantId: CONTOSO.id, search: prefix, limit: 200 });
      const ids = CONFORMANCE_FIXTURES.map((fixture) => inventory.items.find((policy) => policy.graphId === originals.get(fixture.type)!.id)?.id);
      expect(ids.every(Boolean)).toBe(true);

      const capture = await step('capture', () => startRun(RunType.BackupSetCreate, { name: prefix }, { policyIds: ids }));
      expect(capture).toMatchObject({ status: RunStatus.Succeeded, counts: { total: CONFORMANCE_FIXTURES.length, succeeded: CONFORMANCE_FIXTURES.length } });
      backupSetId = String(capture.summary?.backupSetId);
      if (!target.emulator) return;
      // Graph refused none of the reads; compliance actions and ADMX values came expanded, not by sub-path.
      const reads = [...steps.get('sync')!, ...steps.get('capture')!];
      // An app protection policy known only by id is looked for in each platform collection: the others answer 404.
      const platformProbe = (entry: { path: string; status: number }) => {
        const id = /ManagedAppProtections\/([^/]+)$/.exec(entry.path)?.[1];
        return entry.status === 404 && id !== undefined && reads.some((other) => other.status === 200 && other.path.endsWith(`ManagedAppProtections/${id}`));
      };
      expect(reads.filter((entry) => entry.status >= 400 && !platformProbe(entry))).toEqual([]);
      // Older compliance policies answer a sub-path read of their actions with 400; settings-catalog ones list them by sub-path.
      expect(reads.some((entry) => entry.path.includes('/deviceCompliancePolicies/') && entry.path.endsWith('/scheduledActionsForRule'))).toBe(false);
      expect(reads.some((entry) => entry.path.includes('/compliancePolicies/') && entry.path.endsWith('/scheduledActionsForRule') && decodeURIComponent(entry.query ?? '').includes('$expand=scheduledActionConfigurations'))).toBe(true);
      expect(reads.some((entry) => entry.path.includes('/deviceCompliancePolicies') && decodeURIComponent(entry.query ?? '').includes('$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)'))).toBe(true);
      expect(reads.some((entry) => entry.path.endsWith('/definitionValues') && decodeURIComponent(entry.query ?? '').includes('presentationValues($expand=presentation)'))).toBe(true);
      expect(reads.some((entry) => entry.path.endsWith('/iosManagedAppProtections') || entry.path.includes('/iosManagedAppProtections/'))).toBe(true);
      expect(reads.some((entry) => entry.path.includes('/getOmaSettingPlainTextValue('))).toBe(true);
    });

    it('after every object is deleted, the preview plans one create per type and writes nothing', async () => {
      // An application is never re-created: it loses its assignments instead, and the restore assigns it again.
      for (const { fixture, id } of createdIds) await (fixture.assignmentsOnto ? fixture.drift(graph, id) : graph.request({ method: 'DELETE', path: fixture.objectPath(id) }));
      const preview = await step('preview-deleted', () => startRun(RunType.RestorePreview, { backupSetId }, { includeAssignments: true }));
      expect(preview.status).toBe(RunStatus.Succeeded);
      const items = await previewItems(preview.id);
      expect(items.map((item) => [item.policyType, item.action]).sort()).toEqual(CONFORMANCE_FIXTURES.map((fixture) => [fixture.type, fixture.assignmentsOnto ? 'update' : 'create']).sort());
      // A secret is never shown, not even to the preview's reader.
      expect(JSON.stringify(items)).not.toContain(SECRET_CANARY);
      if (target.emulator) expect(writesOf('preview-deleted')).toEqual([]);
      const restored = await restore('recreate', preview.id);
      if (target.emulator) expectThrottledWritesRetried('recreate');
      expect(restored).toMatchObject({ status: RunStatus.Succeeded, counts: { total: CONFORMANCE_FIXTURES.length, succeeded: CONFORMANCE_FIXTURES.length, failed: 0 } });
      for (const item of await runItems(restored.id)) restoredIds.set(String(item.result?.policyType), String(item.result?.newId ?? item.result?.liveId));
      // An application is restored onto itself.
      for (const fixture of CONFORMANCE_FIXTURES.filter((candidate) => candidate.assignmentsOnto)) expect(restoredIds.get(fixture.type)).toBe(originals.get(fixture.type)!.id);
      expect(restoredIds.size).toBe(CONFORMANCE_FIXTURES.length);
    });

    describe.each(CONFORMANCE_FIXTURES.map((fixture) => [fixture.type, fixture] as const))('%s', (_type, fixture) => {
      it('is re-created with exactly the requests Graph expects for it', () => {
        if (!target.emulator) return;
        const expected = [...fixture.recreate, ...(groupId && fixture.assign ? [fixture.assign] : [])];
        const sent = writesOf('recreate').filter((entry) => ownWrite(fixture, entry) && expected.some((request) => matches(request, entry)));
        expect(sent.map((entry) => [entry.method, entry.status < 400])).toEqual(expected.map(([method]) => [method, true]));
        sent.forEach((entry, index) => expect(matches(expected[index], entry)).toBe(true));
        for (const entry of sent) {
          const assigns = fixture.assign !== undefined && matches(fixture.assign, entry);
          expect(entry.bodyKeys?.filter((key) => ['id', 'createdDateTime', 'lastModifiedDateTime', 'version', 'assignments'].includes(key) && !(assigns && key === 'assignments')) ?? []).toEqual([]);
          expect(entry.bodyKeys?.filter((key) => key.startsWith('#') || (key.includes('@odata.') && key !== '@odata.type' && !key.endsWith('@odata.bind'))) ?? []).toEqual([]);
        }
      });

      it('comes back equal to the original (ids, timestamps and version aside), secret values and assignments included', async () => {
        const original = originals.get(fixture.type)!.snapshot;
        const restored = await read(fixture, restoredIds.get(fixture.type)!);
        expect(comparable({ ...restored, assignments: undefined })).toEqual(expectedAfterRestore(fixture.type));
        expect(assignmentGroups(restored)).toEqual(assignmentGroups(original));
        const secret = ((restored.omaSettings as GraphObject[] | undefined) ?? []).find((setting) => setting.isEncrypted === true);
        if (fixture.type === 'deviceConfiguration') {
          const path = `${fixture.objectPath(restoredIds.get(fixture.type)!)}/getOmaSettingPlainTextValue(secretReferenceValueId='${String(secret?.secretReferenceValueId)}')`;
          expect((await graph.get<{ value: string }>(path)).value).toBe(SECRET_CANARY);
        }
      });
    });

    it('after each restored object is changed again, the preview plans one update per type and the restore undoes each change', async () => {
      for (const fixture of CONFORMANCE_FIXTURES) await fixture.drift(graph, restoredIds.get(fixture.type)!);
      const preview = await step('preview-drift', () => startRun(RunType.RestorePreview, { backupSetId }, { includeAssignments: true }));
      expect(preview.status).toBe(RunStatus.Succeeded);
      const items = await previewItems(preview.id);
      expect(items.map((item) => [item.policyType, item.action]).sort()).toEqual(CONFORMANCE_FIXTURES.map((fixture) => [fixture.type, fixture.afterDrift ?? 'update']).sort());
      if (target.emulator) expect(writesOf('preview-drift')).toEqual([]);
      const restored = await restore('undo-drift', preview.id);
      if (target.emulator) expectThrottledWritesRetried('undo-drift');
      expect(restored).toMatchObject({ status: RunStatus.Succeeded, counts: { failed: 0 } });
      // Created again (the drifted copy stays, renamed): the new one is the restored object now.
      for (const item of await runItems(restored.id)) {
        const fixture = CONFORMANCE_FIXTURES.find((candidate) => candidate.type === item.result?.policyType);
        if (fixture?.afterDrift !== 'create') continue;
        createdIds.push({ fixture, id: restoredIds.get(fixture.type)! });
        restoredIds.set(fixture.type, String(item.result?.newId));
      }
      if (target.emulator) {
        for (const fixture of CONFORMANCE_FIXTURES) {
          const sent = writesOf('undo-drift').filter((entry) => ownWrite(fixture, entry) && [...fixture.undoDrift, ...(fixture.assign ? [fixture.assign] : [])].some((request) => matches(request, entry)));
          expect([fixture.type, sent.map((entry) => `${entry.method} ${entry.status < 400 ? 'ok' : entry.status}`)]).toEqual([fixture.type, fixture.undoDrift.map(([method]) => `${method} ok`)]);
          sent.forEach((entry, index) => expect(matches(fixture.undoDrift[index], entry)).toBe(true));
        }
      }
      for (const fixture of CONFORMANCE_FIXTURES) {
        const again = await read(fixture, restoredIds.get(fixture.type)!);
        expect([fixture.type, comparable({ ...again, assignments: undefined })]).toEqual([fixture.type, expectedAfterRestore(fixture.type)]);
      }
    });

    if (name === 'the Graph emulator') {
      it('backup-only and tenant-wide types are captured; restores skip them with their reason, and write tenant settings only when confirmed', async () => {
        const emulator = target.emulator!;
        const tenant = target.directoryId;
        // An Apple token with one automated device enrollment profile (tokens come from Apple Business Manager, not from Graph).
        emulator.admin.putObject(tenant, 'depOnboardingSetting', {
          '@odata.type': '#microsoft.graph.depOnboardingSetting',
          tokenName: `${prefix} ABM`,
          appleIdentifier: 'it@contoso.test',
          tokenType: 'dep',
          roleScopeTagIds: ['0'],
          enrollmentProfiles: [{ '@odata.type': '#microsoft.graph.depIOSEnrollmentProfile', displayName: `${prefix} shared iPads`, description: 'Supervised', supervisedModeEnabled: true, isDefault: false }],
        });
        await graph.request({ method: 'PATCH', path: '/beta/deviceManagement', body: { settings: { deviceComplianceCheckinThresholdDays: 14, secureByDefault: true } } });
        const settingsPath = '/beta/deviceManagement/settings';
        const { '@odata.context': _context, ...original } = await graph.get<GraphObject>(settingsPath);

        const capture = await startRun(RunType.BackupSetCreate, { name: `${prefix} tenant-wide` }, { policyTypes: ['appleEnrollmentProfile', 'deviceManagementSettings'] });
        expect(capture).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 2, succeeded: 2, failed: 0 } });
        const tenantSetId = String(capture.summary?.backupSetId);
        await graph.request({ method: 'PATCH', path: '/beta/deviceManagement', body: { settings: { deviceComplianceCheckinThresholdDays: 60 } } });

        // Without includeTenantSettings: both skipped with their reason, nothing written, the run succeeds.
        const preview = await startRun(RunType.RestorePreview, { backupSetId: tenantSetId }, {});
        const reasons = (await previewItems(preview.id)).map((item) => [item.policyType, item.action, item.reason]).sort();
        expect(reasons).toEqual([
          ['appleEnrollmentProfile', 'skipped', 'apple_token_bound'],
          ['deviceManagementSettings', 'skipped', 'tenant_settings_not_confirmed'],
        ]);
        const skipped = await step('tenant-wide-skipped', () => startRun(RunType.RestoreExecute, { backupSetId: tenantSetId }, {}, { confirmation: { previewRunId: preview.id } }));
        expect(skipped).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 2, skipped: 2, failed: 0 } });
        expect(writesOf('tenant-wide-skipped')).toEqual([]);

        // With it, the confirmation must say so too; then one PATCH of /deviceManagement puts the settings back.
        const confirmedPreview = await startRun(RunType.RestorePreview, { backupSetId: tenantSetId }, { includeTenantSettings: true });
        expect((await previewItems(confirmedPreview.id)).find((item) => item.policyType === 'deviceManagementSettings')).toMatchObject({ action: 'update', requests: [{ method: 'PATCH', path: '/beta/deviceManagement' }] });
        const refused = await rpc.requestError(RunRpc.start, {
          tenantId: CONTOSO.id,
          tenantDirectoryId: tenant,
          type: RunType.RestoreExecute,
          target: { backupSetId: tenantSetId },
          scope: { includeTenantSettings: true },
          initiator: OWNER,
          confirmation: { previewRunId: confirmedPreview.id },
        });
        expect(refused).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('confirmation.includeTenantSettings') });
        const written = await step('tenant-wide-confirmed', () =>
          startRun(RunType.RestoreExecute, { backupSetId: tenantSetId }, { includeTenantSettings: true }, { confirmation: { previewRunId: confirmedPreview.id, includeTenantSettings: true } }),
        );
        expect(written).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 2, succeeded: 1, skipped: 1, failed: 0 } });
        expect(writesOf('tenant-wide-confirmed').map((entry) => [entry.method, entry.path, entry.status])).toEqual([['PATCH', '/beta/deviceManagement', 204]]);
        const { '@odata.context': _again, ...restored } = await graph.get<GraphObject>(settingsPath);
        expect(restored).toEqual(original);
      });

      it('restored into a second tenant, every type is created there with its assignment mapped to the group of the same name', async () => {
        const emulator = target.emulator!;
        const other = FABRIKAM.directoryId;
        emulator.admin.resetTenant(other, { displayName: 'Fabrikam', seed: { policiesPerType: 0 } });
        const otherGroup = emulator.admin.addGroup(other, { displayName: GROUP_NAME })!;
        // Applications are only assigned, never created: the second tenant has the same app (another id, same bundle id).
        const apps = CONFORMANCE_FIXTURES.filter((fixture) => fixture.assignmentsOnto).map((fixture) => {
          const { assignments: _assignments, ...app } = originals.get(fixture.type)!.snapshot;
          return emulator.admin.putObject(other, fixture.type, { ...app, id: randomUUID(), displayName: `${String(app.displayName)} (Fabrikam)` })!;
        });
        const preview = await startRun(RunType.RestorePreview, { backupSetId, sourceTenantId: CONTOSO.id }, { includeAssignments: true }, {}, FABRIKAM.id, other);
        expect(preview.status).toBe(RunStatus.Succeeded);
        const restored = await startRun(RunType.RestoreExecute, { backupSetId, sourceTenantId: CONTOSO.id }, { includeAssignments: true }, { confirmation: { previewRunId: preview.id } }, FABRIKAM.id, other);
        expect(restored).toMatchObject({ status: RunStatus.Succeeded, counts: { total: CONFORMANCE_FIXTURES.length, succeeded: CONFORMANCE_FIXTURES.length } });
        const items = await runItems(restored.id, FABRIKAM.id);
        const inFabrikam = new Map(items.map((item) => [String(item.result?.policyType), String(item.result?.newId ?? item.result?.liveId)]));
        expect(apps.map((app) => String(app.id))).toEqual(CONFORMANCE_FIXTURES.filter((fixture) => fixture.assignmentsOnto).map((fixture) => inFabrikam.get(fixture.type)));
        const fabrikamIdOf = new Map([...inFabrikam].map(([type, id]) => [originals.get(type)!.id, id]));
        fabrikamIdOf.set(groupId!, String(otherGroup.id));
        for (const item of items) {
          const fixture = CONFORMANCE_FIXTURES.find((candidate) => candidate.type === item.result?.policyType)!;
          const object = emulator.admin.getObject(other, fixture.emulatorKey ?? fixture.type, inFabrikam.get(fixture.type)!)!;
          const groups = ((object.assignments as GraphObject[] | undefined) ?? []).map((assignment) => (assignment.target as GraphObject).groupId);
          expect([fixture.type, groups]).toEqual([fixture.type, fixture.assign ? [otherGroup.id] : []]);
          // What it references (a location, policy set members) is the second tenant's copy.
          const original = originals.get(fixture.type)!.snapshot;
          const mapped = withRestoredReferences(original, fabrikamIdOf) as GraphObject;
          const referencing = Object.keys(original).filter((key) => key !== 'assignments' && JSON.stringify(mapped[key]) !== JSON.stringify(original[key]));
          for (const key of referencing) expect([fixture.type, key, comparable(object[key])]).toEqual([fixture.type, key, comparable(mapped[key])]);
          // A role assignment's members are groups too: the group of the same name there.
          if (fixture.type === 'roleAssignment') expect(object.members).toEqual([otherGroup.id]);
        }
      });
    }
  });
}

describeConformance(
  'the Graph emulator',
  () => emulatorTarget(CONTOSO.directoryId),
  async (target) => String(target.emulator!.admin.addGroup(target.directoryId, { displayName: GROUP_NAME })!.id),
);

const realTenant = realTenantSettings();
if (!realTenant) {
  console.info('Graph conformance against a real tenant skipped: set GRAPH_CONFORMANCE_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET to run it (see README).');
}
// The only skip the suite allows: a real tenant needs credentials that CI does not have.
(realTenant ? describeConformance : (...args: Parameters<typeof describeConformance>) => describe.skip(`Graph conformance against ${args[0]}`, () => it('needs a real tenant', () => undefined)))(
  `a real tenant (${realTenant?.directoryId ?? 'not configured'})`,
  async () => realTenantTarget(realTenant!),
  async () => process.env.GRAPH_CONFORMANCE_GROUP_ID || undefined,
);

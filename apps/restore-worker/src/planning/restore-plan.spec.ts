import { SafeErrorCode } from '@policyvault/contracts';
import { GraphError, POLICY_TYPE_CONTRACTS } from '@policyvault/graph';
import { AssignmentMapper } from './assignment-mapper.js';
import { planRestore, previewRequest, type RestoreCandidate } from './restore-plan.js';

const target = { graphBaseUrl: 'https://graph.example.test' };

const catalog = POLICY_TYPE_CONTRACTS.settingsCatalogPolicy;
const deviceConfiguration = POLICY_TYPE_CONTRACTS.deviceConfiguration;

const snapshot = {
  id: 'orig-1',
  name: 'Baseline',
  description: 'Security baseline',
  platforms: 'windows10',
  createdDateTime: '2024-01-01T00:00:00Z',
  lastModifiedDateTime: '2024-01-02T00:00:00Z',
  settingCount: 2,
  '@odata.context': 'https://graph.microsoft.com/beta/$metadata#x',
  settings: [
    { id: '0', settingInstance: { settingDefinitionId: 'a', choiceSettingValue: { value: 'a_1', children: [] } } },
    { id: '1', settingInstance: { settingDefinitionId: 'b', choiceSettingValue: { value: 'b_0', children: [] } } },
  ],
  assignments: [{ id: 'orig-1_g1', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'g1' } }],
};
const candidate: RestoreCandidate = { backupItemId: 'item-1', policyType: 'settingsCatalogPolicy', graphId: 'orig-1', displayName: 'Baseline', snapshot };

describe('planRestore', () => {
  it('no_change when only server-managed properties differ (ids, timestamps, version, counts)', () => {
    const live = { ...structuredClone(snapshot), id: 'orig-1', lastModifiedDateTime: '2025-05-05T00:00:00Z', version: 7, settingCount: 3, settings: snapshot.settings.map((setting, index) => ({ ...setting, id: String(index + 10) })) };
    const plan = planRestore(candidate, catalog, { kind: 'found', matchedBy: 'id', liveId: 'orig-1', live }, null, target);
    expect(plan).toMatchObject({ action: 'no_change', matchedBy: 'id', liveId: 'orig-1', differences: [], requests: [] });
    expect(previewRequest(plan)).toBeNull();
  });

  it('update with the changed fields named (inline settings included) and the exact PUT body', () => {
    const live = structuredClone(snapshot);
    live.description = 'changed in the portal';
    live.settings[1].settingInstance.choiceSettingValue.value = 'b_1';
    const plan = planRestore(candidate, catalog, { kind: 'found', matchedBy: 'name', liveId: 'live-9', live }, null, target);
    expect(plan.action).toBe('update');
    expect(plan.differences).toEqual([
      { path: 'description', live: 'changed in the portal', snapshot: 'Security baseline' },
      { path: 'settings[b].settingInstance.choiceSettingValue.value', live: 'b_1', snapshot: 'b_0' },
    ]);
    const request = previewRequest(plan)!;
    expect(request).toMatchObject({ method: 'PUT', path: '/beta/deviceManagement/configurationPolicies/live-9' });
    expect(Object.keys(request.body).sort()).toEqual(['description', 'name', 'platforms', 'settings']);
    expect(request.body.settings).toEqual([
      { settingInstance: { settingDefinitionId: 'a', choiceSettingValue: { value: 'a_1', children: [] } } },
      { settingInstance: { settingDefinitionId: 'b', choiceSettingValue: { value: 'b_0', children: [] } } },
    ]);
  });

  it('create with the POST to the collection when nothing matches', () => {
    const plan = planRestore(candidate, catalog, { kind: 'missing' }, null, target);
    expect(plan).toMatchObject({ action: 'create', matchedBy: null, liveId: null, differences: [] });
    expect(plan.requests).toHaveLength(1);
    expect(plan.requests[0]).toMatchObject({ method: 'POST', path: '/beta/deviceManagement/configurationPolicies', purpose: 'create' });
    expect(plan.requests[0].body).not.toHaveProperty('id');
    expect(plan.requests[0].body).not.toHaveProperty('assignments');
  });

  it('assignments: a difference only in assignments is an update through /assign', async () => {
    const mapper = new AssignmentMapper({} as never, false, new Map());
    const dc = { id: 'd1', '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', displayName: 'D', assignments: snapshot.assignments };
    const mapped = await mapper.map(dc.assignments);
    const plan = planRestore({ ...candidate, policyType: 'deviceConfiguration', snapshot: dc }, deviceConfiguration, { kind: 'found', matchedBy: 'id', liveId: 'd1', live: { ...dc, assignments: [] } }, mapped, target);
    expect(plan.action).toBe('update');
    expect(plan.requests.map((request) => request.purpose)).toEqual(['assign']);
    expect(plan.differences.map((difference) => difference.path)).toEqual(['assignments']);
    expect(previewRequest(plan)).toEqual({
      method: 'POST',
      path: '/beta/deviceManagement/deviceConfigurations/d1/assign',
      body: { assignments: [{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'g1' } }] },
    });
  });

  it('cross-tenant: an unmapped exclusion group blocks the assignments; an unmapped inclusion is dropped', async () => {
    const client = { get: () => Promise.reject(new GraphError({ code: SafeErrorCode.GraphNotFound, httpStatus: 404 })) };
    const mapper = new AssignmentMapper(client as never, true, new Map());
    const inclusion = await mapper.map([{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'g1' } }, { target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }]);
    expect(inclusion).toMatchObject({ blocked: false, mapped: [{ target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }], unmapped: [{ kind: 'group', id: 'g1', blocking: false }] });
    const exclusion = await mapper.map([{ target: { '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget', groupId: 'g2' } }]);
    expect(exclusion).toMatchObject({ blocked: true, unmapped: [{ kind: 'group', id: 'g2', blocking: true }] });
  });

  it('skips built-in objects with reason built_in, whether live or gone', () => {
    const scopeTag = { id: '0', displayName: 'Default', isBuiltIn: true };
    const tag: RestoreCandidate = { backupItemId: 'i', policyType: 'scopeTag', graphId: '0', displayName: 'Default', snapshot: scopeTag };
    for (const lookup of [{ kind: 'missing' as const }, { kind: 'found' as const, matchedBy: 'id' as const, liveId: '0', live: { ...scopeTag, description: 'x' } }]) {
      expect(planRestore(tag, POLICY_TYPE_CONTRACTS.scopeTag, lookup, null, target)).toMatchObject({ action: 'skipped', reason: 'built_in', requests: [] });
    }
  });

  it('leaves assignments inherited from policy sets out (counted), compares and writes direct ones only', async () => {
    const direct = { id: 'a1', source: 'direct', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'g1' } };
    const inherited = { id: 'a2', source: 'policySets', sourceId: 'set-1', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'g9' } };
    const dc = { id: 'd1', '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', displayName: 'D', assignments: [direct, inherited] };
    const mapped = await new AssignmentMapper({} as never, false, new Map()).map(dc.assignments);
    const same = planRestore({ ...candidate, policyType: 'deviceConfiguration', snapshot: dc }, deviceConfiguration, { kind: 'found', matchedBy: 'id', liveId: 'd1', live: { ...dc, assignments: [direct] } }, mapped, target);
    expect(same).toMatchObject({ action: 'no_change', assignments: { changed: false, inherited: 1 } });
    const created = planRestore({ ...candidate, policyType: 'deviceConfiguration', snapshot: dc }, deviceConfiguration, { kind: 'missing' }, mapped, target);
    expect(created.requests.map((request) => [request.method, request.path])).toEqual([
      ['POST', '/beta/deviceManagement/deviceConfigurations'],
      ['POST', '/beta/deviceManagement/deviceConfigurations/{createdId}/assign'],
    ]);
    expect(created.requests[1].body).toEqual({ assignments: [{ source: 'direct', target: direct.target }] });
  });

  it('an intent without its template is skipped with the reason, nothing planned', () => {
    const intent: RestoreCandidate = { backupItemId: 'i', policyType: 'endpointSecurityIntent', graphId: 'x', displayName: 'I', snapshot: { displayName: 'I', settings: [] } };
    expect(planRestore(intent, POLICY_TYPE_CONTRACTS.endpointSecurityIntent, { kind: 'missing' }, null, target)).toMatchObject({ action: 'skipped', reason: 'intent_template_missing', requests: [] });
  });
});

describe('planRestore of applications (assignments only)', () => {
  const mobileApp = POLICY_TYPE_CONTRACTS.mobileApp;
  const assignment = (groupId: string) => ({ '@odata.type': '#microsoft.graph.mobileAppAssignment', intent: 'required', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId } });
  const app = { id: 'app-1', '@odata.type': '#microsoft.graph.iosStoreApp', displayName: 'Outlook', bundleId: 'com.microsoft.office.outlook', description: 'Mail', assignments: [assignment('g1')] };
  const appCandidate: RestoreCandidate = { backupItemId: 'item-app', policyType: 'mobileApp', graphId: 'app-1', displayName: 'Outlook', snapshot: app };
  const mapped = { mapped: [assignment('g1')], unmapped: [], blocked: false };

  it('never creates a missing app: skipped with app_not_in_tenant, nothing written', () => {
    expect(planRestore(appCandidate, mobileApp, { kind: 'missing' }, mapped, target)).toMatchObject({ action: 'skipped', reason: 'app_not_in_tenant', requests: [] });
  });

  it('writes only the assignments of the live app, whatever else of it changed', () => {
    const live = { ...app, id: 'live-app', description: 'Changed since', publishingState: 'published', assignments: [] };
    const plan = planRestore(appCandidate, mobileApp, { kind: 'found', matchedBy: 'name', liveId: 'live-app', live }, mapped, target);
    expect(plan.action).toBe('update');
    expect(plan.differences.map((difference) => difference.path)).toEqual(['assignments']);
    expect(plan.requests).toEqual([
      { method: 'POST', path: '/beta/deviceAppManagement/mobileApps/live-app/assign', body: { mobileAppAssignments: [assignment('g1')] }, purpose: 'assign' },
    ]);
    expect(planRestore(appCandidate, mobileApp, { kind: 'found', matchedBy: 'id', liveId: 'app-1', live: { ...live, assignments: [assignment('g1')] } }, mapped, target)).toMatchObject({ action: 'no_change', requests: [] });
  });
});

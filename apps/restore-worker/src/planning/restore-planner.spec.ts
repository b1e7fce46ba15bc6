import { fakeGraph } from '../../test/fake-graph-client.js';
import { SafeErrorCode } from '@policyvault/contracts';
import { GraphError } from '@policyvault/graph';
import { SecretCipher } from '@policyvault/platform';
import { previewRequest } from './restore-plan.js';
import { SecretValues } from './secret-values.js';
import { RestorePlanner, planningContext, type PlanningCandidate } from './restore-planner.js';

const WINDOWS = '#microsoft.graph.windows10GeneralConfiguration';
const groupsNamed = (name: string) => `/v1.0/groups?$filter=${encodeURIComponent(`displayName eq '${name}'`)}&$select=id,displayName`;

const candidate = (backupItemId: string, graphId: string, displayName: string, extra: Record<string, unknown> = {}): PlanningCandidate => ({
  backupItemId,
  policyType: 'deviceConfiguration',
  graphId,
  displayName,
  snapshot: { id: graphId, '@odata.type': WINDOWS, displayName, roleScopeTagIds: ['0'], ...extra },
  references: {},
});

describe('RestorePlanner', () => {
  it('two items of a run named alike with one live object: both ambiguous, nothing planned to be written', async () => {
    const graph = fakeGraph({ '/deviceManagement/deviceConfigurations': [{ id: 'live-1', '@odata.type': WINDOWS, displayName: 'Twin', roleScopeTagIds: ['0'] }] });
    const items = [candidate('item-1', 'src-1', 'Twin'), candidate('item-2', 'src-2', 'Twin')];
    const context = planningContext(graph.client, {
      includeAssignments: false,
      crossTenant: true,
      runItems: items.map((item) => ({ backupItemId: item.backupItemId, policyType: item.policyType, graphId: item.graphId, displayName: item.displayName, odataType: WINDOWS })),
      foundationNames: {},
      retryDelayMs: 1000,
    });
    const plans = await new RestorePlanner(new SecretValues(SecretCipher.development())).plan(context, items);
    expect(plans.map((plan) => [plan.action, plan.reason, plan.ambiguity?.reason, previewRequest(plan)])).toEqual([
      ['ambiguous', 'ambiguous_match', 'several_backup_items', null],
      ['ambiguous', 'ambiguous_match', 'several_backup_items', null],
    ]);
    expect(plans[0].ambiguity).toEqual({ reason: 'several_backup_items', candidateIds: ['live-1'], backupItemIds: ['item-2'] });
  });

  it('across tenants the planned requests carry the target ids (scope tags, groups) and the item lists what could not be mapped', async () => {
    const graph = fakeGraph(
      { '/deviceManagement/deviceConfigurations': [], '/deviceManagement/roleScopeTags': [{ id: '0', displayName: 'Default' }, { id: 'fab-tag', displayName: 'EMEA' }] },
      { [groupsNamed('All laptops')]: [{ id: 'fab-group', displayName: 'All laptops' }] },
    );
    const item = {
      ...candidate('item-1', 'src-1', 'Baseline', {
        roleScopeTagIds: ['con-tag', 'con-tag-unnamed'],
        assignments: [
          { id: 'a1', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'con-group' } },
          { id: 'a2', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'con-group-unnamed' } },
        ],
      }),
      references: { group: { 'con-group': 'All laptops' }, scopeTag: { 'con-tag': 'EMEA' } },
    };
    const context = planningContext(graph.client, { includeAssignments: true, crossTenant: true, runItems: [], foundationNames: {}, retryDelayMs: 1000 });
    const [plan] = await new RestorePlanner(new SecretValues(SecretCipher.development())).plan(context, [item]);
    expect(plan.action).toBe('create');
    expect(plan.requests.find((request) => request.purpose === 'create')?.body?.roleScopeTagIds).toEqual(['fab-tag']);
    expect(plan.assignments?.mapped).toEqual([{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'fab-group' } }]);
    expect(plan.unmapped).toEqual([
      { kind: 'scopeTag', id: 'con-tag-unnamed', name: null, reason: 'name_not_captured', blocking: false },
      { kind: 'group', id: 'con-group-unnamed', name: null, reason: 'name_not_captured', blocking: false },
    ]);
  });

  describe('items a restore does not write are skipped with a reason, never failing the run', () => {
    const plan = async (graph: ReturnType<typeof fakeGraph>, items: PlanningCandidate[], includeTenantSettings = false) => {
      const context = planningContext(graph.client, { includeAssignments: false, crossTenant: false, runItems: [], foundationNames: {}, retryDelayMs: 1000, includeTenantSettings });
      return new RestorePlanner(new SecretValues(SecretCipher.development())).plan(context, items);
    };
    const item = (policyType: string, graphId: string, snapshot: Record<string, unknown>): PlanningCandidate => ({ backupItemId: `item-${graphId}`, policyType, graphId, displayName: graphId, snapshot: { id: graphId, ...snapshot }, references: {} });

    it('a backup-only type (Apple enrollment profiles): skipped with the registry reason, Graph not asked', async () => {
      const graph = fakeGraph({});
      const [skipped] = await plan(graph, [item('appleEnrollmentProfile', 'token-1/profile-1', { displayName: 'Shared iPads' })]);
      expect([skipped.action, skipped.reason, skipped.error, skipped.requests]).toEqual(['skipped', 'apple_token_bound', null, []]);
      expect(graph.requests).toEqual([]);
    });

    it('tenant-wide settings: skipped unless the run includes them (confirmed), then updated with one PATCH of /deviceManagement', async () => {
      const settings = { deviceComplianceCheckinThresholdDays: 30, secureByDefault: true };
      const graph = fakeGraph({});
      (graph.client as { get: unknown }).get = async () => ({ '@odata.context': 'x', ...settings, secureByDefault: false });
      const items = [item('deviceManagementSettings', 'deviceManagementSettings', settings)];
      const [unconfirmed] = await plan(graph, items);
      expect([unconfirmed.action, unconfirmed.reason]).toEqual(['skipped', 'tenant_settings_not_confirmed']);
      const [confirmed] = await plan(graph, items, true);
      expect([confirmed.action, confirmed.requests]).toEqual(['update', [{ method: 'PATCH', path: '/beta/deviceManagement', body: { settings }, purpose: 'update' }]]);
    });

    it('a type Graph refuses to list in the target tenant (403): its items are skipped for missing permissions', async () => {
      const graph = fakeGraph({});
      (graph.client as { listAll: unknown }).listAll = async () => {
        throw new GraphError({ code: SafeErrorCode.GraphForbidden, httpStatus: 403 });
      };
      const [skipped] = await plan(graph, [item('deviceCategory', 'cat-1', { displayName: 'Kiosks' })]);
      expect([skipped.action, skipped.reason, skipped.error]).toEqual(['skipped', 'missing_permissions', null]);
    });

    it('the default branding profile is updated where it exists, never created where it does not', async () => {
      const profile = { '@odata.type': '#microsoft.graph.intuneBrandingProfile', profileName: 'Default', isDefaultProfile: true, displayName: 'Contoso IT', roleScopeTagIds: ['0'] };
      const missing = await plan(fakeGraph({ '/deviceManagement/intuneBrandingProfiles': [] }), [item('brandingProfile', 'default-1', profile)]);
      expect([missing[0].action, missing[0].reason]).toEqual(['skipped', 'built_in']);
      const live = fakeGraph({ '/deviceManagement/intuneBrandingProfiles': [{ ...profile, id: 'default-1', displayName: 'Old name', assignments: [] }] });
      const [updated] = await plan(live, [item('brandingProfile', 'default-1', profile)]);
      expect([updated.action, updated.requests.map((request) => [request.method, request.path, request.body])]).toEqual([
        'update',
        [['PATCH', '/beta/deviceManagement/intuneBrandingProfiles/default-1', { '@odata.type': '#microsoft.graph.intuneBrandingProfile', profileName: 'Default', displayName: 'Contoso IT', roleScopeTagIds: ['0'] }]],
      ]);
    });

    it('an enrollment status page captured as an enrollment configuration is planned as its own type', async () => {
      const esp = { '@odata.type': '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration', displayName: 'ESP', priority: 1, showInstallationProgress: true };
      const graph = fakeGraph({ '/deviceManagement/deviceEnrollmentConfigurations': [{ ...esp, id: 'esp-1' }] });
      const [planned] = await plan(graph, [item('enrollmentConfiguration', 'esp-1', esp)]);
      expect([planned.action, planned.contract?.type, planned.liveId]).toEqual(['no_change', 'enrollmentStatusPage', 'esp-1']);
    });
  });
});

describe('RestorePlanner: objects that name others (Conditional Access locations)', () => {
  const LOCATION = '#microsoft.graph.ipNamedLocation';
  const location: PlanningCandidate = { backupItemId: 'item-loc', policyType: 'namedLocation', graphId: 'con-loc', displayName: 'Office', snapshot: { id: 'con-loc', '@odata.type': LOCATION, displayName: 'Office', isTrusted: true, ipRanges: [] }, references: {} };
  const policy = (locationId: string): PlanningCandidate => ({
    backupItemId: 'item-ca',
    policyType: 'conditionalAccessPolicy',
    graphId: 'con-ca',
    displayName: 'MFA',
    snapshot: { id: 'con-ca', displayName: 'MFA', state: 'enabled', conditions: { locations: { includeLocations: [locationId], excludeLocations: ['AllTrusted'] } } },
    references: {},
  });
  const plan = async (crossTenant: boolean, live: Record<string, unknown>[], candidates: PlanningCandidate[]) => {
    const graph = fakeGraph({ '/identity/conditionalAccess/namedLocations': live, '/identity/conditionalAccess/policies': [] });
    const context = planningContext(graph.client, { includeAssignments: false, crossTenant, runItems: [], foundationNames: {}, retryDelayMs: 1000 });
    const planner = new RestorePlanner(new SecretValues(SecretCipher.development()));
    const plans = [];
    for (const candidate of candidates) plans.push(...(await planner.plan(context, [candidate])));
    return plans;
  };

  it('maps the location to the one the run matched, and restores an enabled policy report-only', async () => {
    const [, ca] = await plan(true, [{ id: 'fab-loc', '@odata.type': LOCATION, displayName: 'Office', isTrusted: true, ipRanges: [] }], [location, policy('con-loc')]);
    expect(ca.action).toBe('create');
    expect(previewRequest(ca)?.body).toMatchObject({ state: 'enabledForReportingButNotEnforced', conditions: { locations: { includeLocations: ['fab-loc'], excludeLocations: ['AllTrusted'] } } });
  });

  it('across tenants, a policy naming a location the run does not restore is skipped with a reason; in its own tenant it keeps the id', async () => {
    const [across] = await plan(true, [], [policy('con-other')]);
    expect(across).toMatchObject({ action: 'skipped', reason: 'references_not_restored', requests: [] });
    const [same] = await plan(false, [], [policy('con-other')]);
    expect(same.action).toBe('create');
    expect(previewRequest(same)?.body).toMatchObject({ conditions: { locations: { includeLocations: ['con-other'] } } });
  });
});

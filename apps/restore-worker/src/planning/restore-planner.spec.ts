import { fakeGraph } from '../../test/fake-graph-client.js';
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

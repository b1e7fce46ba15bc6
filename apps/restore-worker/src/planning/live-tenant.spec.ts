import { POLICY_TYPE_CONTRACTS } from '@policyvault/graph';
import { fakeGraph } from '../../test/fake-graph-client.js';
import { LiveTenant, type LookupRequest, type RunItem } from './live-tenant.js';

const deviceConfiguration = POLICY_TYPE_CONTRACTS.deviceConfiguration;
const compliance = POLICY_TYPE_CONTRACTS.compliancePolicy;
const WINDOWS = '#microsoft.graph.windows10GeneralConfiguration';
const IOS = '#microsoft.graph.iosGeneralDeviceConfiguration';

const live = (id: string, displayName: string, odataType = WINDOWS) => ({ id, displayName, '@odata.type': odataType, assignments: [] });
const request = (backupItemId: string, graphId: string, displayName: string, odataType = WINDOWS): LookupRequest => ({
  backupItemId,
  graphId,
  snapshot: { id: graphId, displayName, '@odata.type': odataType },
});
const runItem = ({ backupItemId, graphId, snapshot }: LookupRequest, policyType = 'deviceConfiguration'): RunItem => ({
  backupItemId,
  policyType,
  graphId,
  displayName: String(snapshot.displayName),
  odataType: String(snapshot['@odata.type']),
});

function tenant(objects: Record<string, unknown>[], runItems: LookupRequest[] = []) {
  const graph = fakeGraph({ '/deviceManagement/deviceConfigurations': objects, '/deviceManagement/deviceCompliancePolicies': [] });
  const liveTenant = new LiveTenant(graph.client, false);
  liveTenant.expect(runItems.map((item) => runItem(item)));
  return { liveTenant, graph };
}

describe('LiveTenant matching', () => {
  it('matches by the original id first, then by name and @odata.type when exactly one live object carries them', async () => {
    const byId = request('item-a', 'a', 'Renamed since');
    const byName = request('item-b', 'b-gone', 'Baseline');
    const missing = request('item-c', 'c-gone', 'Nowhere');
    const { liveTenant } = tenant([live('a', 'Something else'), live('x', 'Baseline'), live('y', 'Baseline', IOS)], [byId, byName, missing]);
    const [first, second, third] = await liveTenant.lookup(deviceConfiguration, [byId, byName, missing]);
    expect(first).toMatchObject({ kind: 'found', matchedBy: 'id', liveId: 'a' });
    expect(second).toMatchObject({ kind: 'found', matchedBy: 'name', liveId: 'x' });
    expect(third).toEqual({ kind: 'missing' });
  });

  it('two or more live objects with the name and type → ambiguous with their ids, and neither is read', async () => {
    const item = request('item-a', 'gone', 'Twin');
    const { liveTenant, graph } = tenant([live('t1', 'Twin'), live('t2', 'Twin'), live('other', 'Other')], [item]);
    const [match] = await liveTenant.lookup(deviceConfiguration, [item]);
    expect(match).toEqual({ kind: 'ambiguous', ambiguity: { reason: 'several_live_matches', candidateIds: ['t1', 't2'], backupItemIds: [] } });
    expect(graph.requests.filter((path) => path.includes('/t1') || path.includes('/t2'))).toEqual([]);
  });

  it('two backup items with one live name match → both ambiguous, naming each other, in whichever order they are planned', async () => {
    const first = request('item-1', 'src-1', 'Shared name');
    const second = request('item-2', 'src-2', 'Shared name');
    for (const order of [
      [first, second],
      [second, first],
    ]) {
      const { liveTenant } = tenant([live('x', 'Shared name')], [first, second]);
      // Planned in separate chunks: the decision does not depend on what was planned before.
      const [a] = await liveTenant.lookup(deviceConfiguration, [order[0]]);
      const [b] = await liveTenant.lookup(deviceConfiguration, [order[1]]);
      expect(a).toEqual({ kind: 'ambiguous', ambiguity: { reason: 'several_backup_items', candidateIds: ['x'], backupItemIds: [order[1].backupItemId] } });
      expect(b).toEqual({ kind: 'ambiguous', ambiguity: { reason: 'several_backup_items', candidateIds: ['x'], backupItemIds: [order[0].backupItemId] } });
    }
  });

  it("a live object that is another item's original id is that item's: a same-named item is ambiguous naming it", async () => {
    const owner = request('item-owner', 'x', 'Baseline');
    const other = request('item-other', 'deleted-source', 'Baseline');
    const { liveTenant } = tenant([live('x', 'Baseline')], [owner, other]);
    // The name match is asked first: it must still not take the owner's object.
    const [otherMatch] = await liveTenant.lookup(deviceConfiguration, [other]);
    const [ownerMatch] = await liveTenant.lookup(deviceConfiguration, [owner]);
    expect(otherMatch).toEqual({ kind: 'ambiguous', ambiguity: { reason: 'already_matched', candidateIds: ['x'], backupItemIds: ['item-owner'] } });
    expect(ownerMatch).toMatchObject({ kind: 'found', matchedBy: 'id', liveId: 'x' });
  });

  it('a same-named item whose original id is live (renamed since) does not compete for the name match', async () => {
    const renamedLive = request('item-1', 'kept', 'Shared name');
    const byName = request('item-2', 'gone', 'Shared name');
    const { liveTenant } = tenant([live('kept', 'Renamed in the portal'), live('x', 'Shared name')], [renamedLive, byName]);
    const matches = await liveTenant.lookup(deviceConfiguration, [byName, renamedLive]);
    expect(matches[0]).toMatchObject({ kind: 'found', matchedBy: 'name', liveId: 'x' });
    expect(matches[1]).toMatchObject({ kind: 'found', matchedBy: 'id', liveId: 'kept' });
  });

  it('never hands one live object to two items of a run, across chunks and policy types, even without the run index', async () => {
    const { liveTenant } = tenant([live('x', 'Baseline')]);
    const [first] = await liveTenant.lookup(deviceConfiguration, [request('item-1', 'src-1', 'Baseline')]);
    const [again] = await liveTenant.lookup(deviceConfiguration, [request('item-1', 'src-1', 'Baseline')]);
    const [second] = await liveTenant.lookup(deviceConfiguration, [request('item-2', 'src-2', 'Baseline')]);
    expect(first).toMatchObject({ kind: 'found', liveId: 'x' });
    // The same item planned again (a later chunk of a redelivery) keeps its match.
    expect(again).toMatchObject({ kind: 'found', liveId: 'x' });
    expect(second).toEqual({ kind: 'ambiguous', ambiguity: { reason: 'already_matched', candidateIds: ['x'], backupItemIds: ['item-1'] } });
    // Another collection's object with the same id is another object.
    expect(await liveTenant.lookup(compliance, [request('item-3', 'x', 'Baseline')])).toEqual([{ kind: 'missing' }]);
  });
});

describe('LiveTenant matching of applications', () => {
  const mobileApp = POLICY_TYPE_CONTRACTS.mobileApp;
  const STORE = '#microsoft.graph.iosStoreApp';
  const app = (id: string, displayName: string, bundleId: string) => ({ id, displayName, '@odata.type': STORE, bundleId, assignments: [] });

  it('finds an app renamed since the backup by its bundle id, but not one of another bundle', async () => {
    const graph = fakeGraph({ '/deviceAppManagement/mobileApps': [app('live-outlook', 'Outlook (new name)', 'com.microsoft.office.outlook'), app('live-teams', 'Teams', 'com.microsoft.skype.teams')] });
    const liveTenant = new LiveTenant(graph.client, true);
    const renamed: LookupRequest = { backupItemId: 'i1', graphId: 'gone-1', snapshot: { id: 'gone-1', displayName: 'Outlook', '@odata.type': STORE, bundleId: 'com.microsoft.office.outlook' } };
    const other: LookupRequest = { backupItemId: 'i2', graphId: 'gone-2', snapshot: { id: 'gone-2', displayName: 'Word', '@odata.type': STORE, bundleId: 'com.microsoft.office.word' } };
    const [first, second] = await liveTenant.lookup(mobileApp, [renamed, other]);
    expect(first).toMatchObject({ kind: 'found', matchedBy: 'name', liveId: 'live-outlook' });
    expect(second).toEqual({ kind: 'missing' });
  });
});

import { referencedObjects, restorePhaseOf, withObjectReferences } from './object-references.js';

const policy = {
  displayName: 'MFA outside the office',
  state: 'enabled',
  conditions: { users: { includeUsers: ['All'] }, locations: { includeLocations: ['All'], excludeLocations: ['loc-1', 'AllTrusted', 'loc-2'] } },
};
const set = {
  displayName: 'New hires',
  items: [
    { '@odata.type': '#microsoft.graph.deviceConfigurationPolicySetItem', payloadId: 'dc-1' },
    { '@odata.type': '#microsoft.graph.mobileAppPolicySetItem', payloadId: 'app-1', intent: 'required' },
    { '@odata.type': '#microsoft.graph.iosLobAppProvisioningConfigurationPolicySetItem', payloadId: 'not-ours' },
  ],
};

describe('object references', () => {
  it('names the named locations of a Conditional Access policy (keywords left out)', () => {
    expect(referencedObjects('conditionalAccessPolicy', policy)).toEqual([
      { policyType: 'namedLocation', id: 'loc-1' },
      { policyType: 'namedLocation', id: 'loc-2' },
    ]);
  });

  it('names the members of a policy set by their item kind', () => {
    expect(referencedObjects('policySet', set)).toEqual([
      { policyType: 'deviceConfiguration', id: 'dc-1' },
      { policyType: 'mobileApp', id: 'app-1' },
    ]);
    expect(referencedObjects('deviceConfiguration', set)).toEqual([]);
  });

  it('replaces what the resolver knows and keeps the rest, without changing the input', () => {
    const mapped = withObjectReferences('conditionalAccessPolicy', policy, ({ id }) => (id === 'loc-1' ? 'new-1' : undefined));
    expect(mapped.conditions).toEqual({ users: { includeUsers: ['All'] }, locations: { includeLocations: ['All'], excludeLocations: ['new-1', 'AllTrusted', 'loc-2'] } });
    expect(policy.conditions.locations.excludeLocations).toEqual(['loc-1', 'AllTrusted', 'loc-2']);
    const members = withObjectReferences('policySet', set, ({ policyType, id }) => `${policyType}:${id}`).items as Array<Record<string, unknown>>;
    expect(members.map((item) => item.payloadId)).toEqual(['deviceConfiguration:dc-1', 'mobileApp:app-1', 'not-ours']);
    expect(members[1].intent).toBe('required');
  });

  it('puts what others reference in an earlier restore pass', () => {
    expect(restorePhaseOf('namedLocation')).toBe(0);
    expect(restorePhaseOf('deviceConfiguration')).toBe(0);
    expect(restorePhaseOf('conditionalAccessPolicy')).toBe(1);
    expect(restorePhaseOf('policySet')).toBe(1);
    expect(restorePhaseOf('unknownType')).toBe(0);
  });
});

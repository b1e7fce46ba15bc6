import { REPORT_ONLY_STATE, RestoredObjects, withRestoreState } from './restored-objects.js';

const policy = (state: string) => ({ displayName: 'MFA', state, conditions: { locations: { includeLocations: ['loc-1'], excludeLocations: ['AllTrusted'] } } });

describe('Conditional Access state on restore', () => {
  it('restores an enabled policy in report-only unless the run keeps captured states', () => {
    expect(withRestoreState('conditionalAccessPolicy', policy('enabled'), false).state).toBe(REPORT_ONLY_STATE);
    expect(withRestoreState('conditionalAccessPolicy', policy('enabled'), true).state).toBe('enabled');
  });

  it('leaves disabled and report-only policies, and other types, as captured', () => {
    expect(withRestoreState('conditionalAccessPolicy', policy('disabled'), false).state).toBe('disabled');
    expect(withRestoreState('conditionalAccessPolicy', policy(REPORT_ONLY_STATE), false).state).toBe(REPORT_ONLY_STATE);
    expect(withRestoreState('deviceConfiguration', { state: 'enabled' }, false).state).toBe('enabled');
  });
});

describe('RestoredObjects', () => {
  it('maps references to objects the run matched or created, and keeps others', () => {
    const restored = new RestoredObjects();
    restored.record('namedLocation', 'loc-1', 'live-loc-1');
    restored.recordResult({ policyType: 'deviceConfiguration', previousId: 'dc-1', liveId: null, newId: 'created-dc-1' });
    restored.recordResult({ policyType: 'deviceConfiguration', previousId: 'dc-2', liveId: null });
    expect(restored.mapSnapshot('conditionalAccessPolicy', policy('enabled')).conditions).toEqual({ locations: { includeLocations: ['live-loc-1'], excludeLocations: ['AllTrusted'] } });
    const set = {
      items: [
        { '@odata.type': '#microsoft.graph.deviceConfigurationPolicySetItem', payloadId: 'dc-1' },
        { '@odata.type': '#microsoft.graph.deviceConfigurationPolicySetItem', payloadId: 'dc-2' },
      ],
    };
    expect((restored.mapSnapshot('policySet', set).items as Array<{ payloadId: string }>).map((item) => item.payloadId)).toEqual(['created-dc-1', 'dc-2']);
    // A location id of another type's object is not a location.
    restored.record('deviceConfiguration', 'loc-2', 'wrong');
    expect(restored.mapSnapshot('conditionalAccessPolicy', { conditions: { locations: { includeLocations: ['loc-2'] } } })).toEqual({ conditions: { locations: { includeLocations: ['loc-2'] } } });
  });

  it('a planned create counts as restored until its write fails', () => {
    const restored = new RestoredObjects();
    restored.expectCreated('namedLocation', 'loc-9');
    expect(restored.knows({ policyType: 'namedLocation', id: 'loc-9' })).toBe(true);
    restored.recordResult({ policyType: 'namedLocation', previousId: 'loc-9', liveId: null });
    expect(restored.knows({ policyType: 'namedLocation', id: 'loc-9' })).toBe(false);
  });
});

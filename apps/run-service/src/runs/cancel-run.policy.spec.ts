import { TenantRole } from '@policyvault/contracts';
import { cancelRefusal, mayCancelRun } from './cancel-run.policy.js';

describe('who may cancel a run', () => {
  it.each([
    [TenantRole.Reader, true, false],
    [TenantRole.Reader, false, false],
    [TenantRole.Operator, true, true],
    [TenantRole.Operator, false, false],
    [TenantRole.Owner, true, true],
    [TenantRole.Owner, false, true],
  ])('%s, initiator: %s → %s', (role, isInitiator, allowed) => {
    expect(mayCancelRun(role, isInitiator)).toBe(allowed);
    expect(cancelRefusal(role, isInitiator) === undefined).toBe(allowed);
  });

  it('refuses a reader before the run is known, naming the role; others by who started the run', () => {
    expect(cancelRefusal(TenantRole.Reader)).toBe('canceling a run needs the operator role in this tenant; you are reader');
    expect(cancelRefusal(TenantRole.Operator)).toBeUndefined();
    expect(cancelRefusal(TenantRole.Operator, false)).toBe('only the user who started the run or a tenant owner may cancel it');
  });
});

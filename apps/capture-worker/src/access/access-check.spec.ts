import { SafeErrorCode, TenantAccessHealth } from '@policyvault/contracts';
import { GraphError, listPolicyTypes, requiredApplicationPermissions } from '@policyvault/graph';
import { assessAccess, judgeTokenFailure, missingPermissionsError } from './access-check.js';

const ALL_TYPES = listPolicyTypes({ includeFoundations: true });

describe('assessAccess', () => {
  it('everything the registry needs → ok, every type without missing permissions', () => {
    const { types, summary } = assessAccess(requiredApplicationPermissions());
    expect(summary).toEqual({ health: TenantAccessHealth.Ok, missingPermissions: [], grantedPermissions: requiredApplicationPermissions() });
    expect(types.map((type) => type.policyType)).toEqual(ALL_TYPES);
    expect(types.every((type) => type.missing.length === 0)).toBe(true);
  });

  it('one family missing → missing_permissions naming it, only on the types of that family', () => {
    const granted = requiredApplicationPermissions().filter((permission) => permission !== 'DeviceManagementServiceConfig.ReadWrite.All');
    const { types, summary } = assessAccess(granted);
    expect(summary).toMatchObject({ health: TenantAccessHealth.MissingPermissions, missingPermissions: ['DeviceManagementServiceConfig.ReadWrite.All'] });
    const lacking = types.filter((type) => type.missing.length > 0).map((type) => type.policyType);
    // Compliance reads notification template names (ServiceConfig read): it misses that read, not a write.
    expect(lacking.sort()).toEqual([
      'appleEnrollmentProfile',
      'autopilotProfile',
      'compliancePolicy',
      'deviceManagementSettings',
      'enrollmentConfiguration',
      'enrollmentDeviceLimit',
      'enrollmentPlatformRestriction',
      'enrollmentStatusPage',
      'enrollmentWindowsHelloForBusiness',
      'notificationMessageTemplate',
      'settingsCatalogCompliancePolicy',
      'termsAndConditions',
    ]);
    expect(types.find((type) => type.policyType === 'settingsCatalogCompliancePolicy')?.missing).toEqual(['DeviceManagementServiceConfig.Read.All']);
    expect(types.find((type) => type.policyType === 'compliancePolicy')?.missing).toEqual(['DeviceManagementServiceConfig.Read.All']);
    expect(types.find((type) => type.policyType === 'autopilotProfile')?.missing).toEqual(['DeviceManagementServiceConfig.ReadWrite.All']);
  });

  it('no permission at all → every type misses, and the summary asks for the minimal set', () => {
    const { types, summary } = assessAccess([]);
    expect(types.every((type) => type.missing.length > 0)).toBe(true);
    expect(summary.missingPermissions).toEqual(requiredApplicationPermissions());
    expect(summary.grantedPermissions).toEqual([]);
  });

  it('extra permissions are reported as granted and change nothing', () => {
    const { summary } = assessAccess([...requiredApplicationPermissions(), 'User.Read.All']);
    expect(summary.health).toBe(TenantAccessHealth.Ok);
    expect(summary.grantedPermissions).toContain('User.Read.All');
  });

  it('the item error names the missing permissions and the type, nothing else', () => {
    const [type] = assessAccess(['Group.Read.All'], ['deviceConfiguration']).types;
    expect(missingPermissionsError(type)).toEqual({
      code: SafeErrorCode.MissingPermissions,
      message: expect.any(String),
      context: { policyType: 'deviceConfiguration', missingPermissions: 'DeviceManagementConfiguration.ReadWrite.All, DeviceManagementRBAC.Read.All' },
    });
  });
});

describe('judgeTokenFailure', () => {
  const refused = (graphErrorCode: string) => new GraphError({ code: SafeErrorCode.GraphAuthFailed, httpStatus: 401, graphErrorCode });

  it('a missing service principal is no_consent (today’s and the older Entra answer)', () => {
    expect(judgeTokenFailure(refused('AADSTS7000229'), true)).toMatchObject({ kind: 'health', health: TenantAccessHealth.NoConsent });
    expect(judgeTokenFailure(refused('AADSTS700016'), false)).toMatchObject({ kind: 'health', health: TenantAccessHealth.NoConsent });
  });

  it('an unknown tenant is unreachable at once, never retried', () => {
    expect(judgeTokenFailure(refused('AADSTS90002'), true)).toMatchObject({
      kind: 'health',
      health: TenantAccessHealth.Unreachable,
      error: { code: SafeErrorCode.GraphAuthFailed, context: { graphErrorCode: 'AADSTS90002' } },
    });
  });

  it('a transient failure is retried while deliveries are left, then unreachable', () => {
    const network = new GraphError({ code: SafeErrorCode.GraphNetworkError, transient: true });
    expect(judgeTokenFailure(network, true)).toEqual({ kind: 'retry' });
    expect(judgeTokenFailure(network, false)).toMatchObject({ kind: 'health', health: TenantAccessHealth.Unreachable, error: { code: SafeErrorCode.GraphNetworkError } });
  });

  it('the MSP’s own credentials refused says nothing about the tenant: the run fails', () => {
    expect(judgeTokenFailure(refused('AADSTS7000215'), true)).toMatchObject({ kind: 'fail', error: { code: SafeErrorCode.GraphAuthFailed } });
  });
});

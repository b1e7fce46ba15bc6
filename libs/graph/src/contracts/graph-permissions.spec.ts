import { applicationPermissionsOfToken, isPermissionGranted, minimalPermissions, missingPermissions } from './graph-permissions.js';
import { POLICY_TYPE_CONTRACTS, listPolicyTypes, requiredApplicationPermissions } from './policy-type-contracts.js';

const token = (claims: object) => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('Graph application permissions', () => {
  it('a ReadWrite.All permission grants its Read.All, never the other way round, never across families', () => {
    const granted = new Set(['DeviceManagementConfiguration.ReadWrite.All', 'Group.Read.All']);
    expect(isPermissionGranted('DeviceManagementConfiguration.Read.All', granted)).toBe(true);
    expect(isPermissionGranted('DeviceManagementConfiguration.ReadWrite.All', granted)).toBe(true);
    expect(isPermissionGranted('Group.Read.All', granted)).toBe(true);
    expect(isPermissionGranted('Group.ReadWrite.All', granted)).toBe(false);
    expect(isPermissionGranted('DeviceManagementApps.Read.All', granted)).toBe(false);
    expect(isPermissionGranted('DeviceManagementConfiguration.Read.All', new Set(['DeviceManagementApps.ReadWrite.All']))).toBe(false);
  });

  it('lists what is missing sorted and once; nothing when everything is granted', () => {
    const needed = ['Group.Read.All', 'DeviceManagementApps.ReadWrite.All', 'DeviceManagementApps.Read.All', 'Group.Read.All'];
    expect(missingPermissions(needed, [])).toEqual(['DeviceManagementApps.Read.All', 'DeviceManagementApps.ReadWrite.All', 'Group.Read.All']);
    expect(missingPermissions(needed, ['DeviceManagementApps.Read.All'])).toEqual(['DeviceManagementApps.ReadWrite.All', 'Group.Read.All']);
    expect(missingPermissions(needed, ['DeviceManagementApps.ReadWrite.All', 'Group.Read.All'])).toEqual([]);
  });

  it('the minimal set drops a Read.All its ReadWrite.All covers and keeps everything else', () => {
    expect(minimalPermissions(['Group.Read.All', 'X.Read.All', 'X.ReadWrite.All', 'Y.Read.All', 'X.ReadWrite.All'])).toEqual(['Group.Read.All', 'X.ReadWrite.All', 'Y.Read.All']);
  });

  it('reads roles from an access token’s payload, ignoring anything that is not a permission name', () => {
    expect(applicationPermissionsOfToken(token({ roles: ['Group.Read.All', 'DeviceManagementApps.Read.All', 'Group.Read.All'] }))).toEqual(['DeviceManagementApps.Read.All', 'Group.Read.All']);
    expect(applicationPermissionsOfToken(token({ roles: ['<script>', 42, 'Group.Read.All'] }))).toEqual(['Group.Read.All']);
    expect(applicationPermissionsOfToken(token({ tid: 'x' }))).toEqual([]);
    expect(applicationPermissionsOfToken('not-a-jwt')).toEqual([]);
    expect(applicationPermissionsOfToken('a.%%%.c')).toEqual([]);
  });
});

describe('the permissions each policy type declares', () => {
  /** Intune's families, Windows 365 (`CloudPC`) and Entra policies (`Policy.Read.All` / `Policy.ReadWrite.ConditionalAccess`). */
  const FAMILY = /^(DeviceManagement[A-Za-z]+|CloudPC|Policy)\./;
  it.each(listPolicyTypes())('%s: reads with Read.All, restores with ReadWrite of its family, names groups with Group.Read.All', (type) => {
    const { permissions, assignment } = POLICY_TYPE_CONTRACTS[type];
    expect(permissions.read.length).toBeGreaterThan(0);
    expect(permissions.read.some((permission) => FAMILY.test(permission) && permission.includes('.Read.'))).toBe(true);
    expect(permissions.restore.some((permission) => FAMILY.test(permission) && permission.includes('.ReadWrite.'))).toBe(true);
    // Whatever restoring needs also covers reading (a restore reads the live object first).
    expect(missingPermissions(permissions.read, permissions.restore)).toEqual([]);
    if (assignment) expect(permissions.read).toContain('Group.Read.All');
  });

  it('follows Graph’s permission tables for the families', () => {
    const restoreOf = (type: string) => POLICY_TYPE_CONTRACTS[type].permissions.restore;
    expect(restoreOf('deviceConfiguration')).toContain('DeviceManagementConfiguration.ReadWrite.All');
    expect(restoreOf('remediationScript')).toContain('DeviceManagementScripts.ReadWrite.All');
    expect(restoreOf('autopilotProfile')).toContain('DeviceManagementServiceConfig.ReadWrite.All');
    expect(restoreOf('enrollmentConfiguration')).toContain('DeviceManagementServiceConfig.ReadWrite.All');
    expect(restoreOf('scopeTag')).toContain('DeviceManagementRBAC.ReadWrite.All');
    expect(restoreOf('appProtectionPolicy')).toContain('DeviceManagementApps.ReadWrite.All');
    expect(restoreOf('mobileApp')).toContain('DeviceManagementApps.ReadWrite.All');
    expect(restoreOf('cloudPcProvisioningPolicy')).toContain('CloudPC.ReadWrite.All');
    expect(restoreOf('conditionalAccessPolicy')).toEqual(['Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess']);
    expect(POLICY_TYPE_CONTRACTS.namedLocation.permissions.read).toEqual(['Policy.Read.All']);
  });

  it('the whole app needs the six Intune families and Windows 365 read-write, Entra policies and Group.Read.All', () => {
    expect(missingPermissions(['Policy.Read.AuthenticationMethod'], ['Policy.ReadWrite.AuthenticationMethod'])).toEqual([]);
    expect(missingPermissions(['Policy.Read.All'], ['Policy.ReadWrite.ConditionalAccess'])).toEqual(['Policy.Read.All']);
    expect(requiredApplicationPermissions()).toEqual([
      'CloudPC.ReadWrite.All',
      'DeviceManagementApps.ReadWrite.All',
      'DeviceManagementConfiguration.ReadWrite.All',
      'DeviceManagementManagedDevices.ReadWrite.All',
      'DeviceManagementRBAC.ReadWrite.All',
      'DeviceManagementScripts.ReadWrite.All',
      'DeviceManagementServiceConfig.ReadWrite.All',
      'Group.Read.All',
      'Policy.Read.All',
      'Policy.ReadWrite.AuthenticationMethod',
      'Policy.ReadWrite.ConditionalAccess',
    ]);
    expect(requiredApplicationPermissions(['assignmentFilter'])).toEqual(['DeviceManagementConfiguration.ReadWrite.All', 'DeviceManagementRBAC.Read.All']);
  });
});

import { hashString, seededRandom } from '../behaviour/random.js';
import type { GraphObject } from '../graph/tenant-store.js';
import { deterministicUuid } from './seed-ids.js';

/**
 * Entra groups and Microsoft's built-in Intune objects of a seeded tenant. Every demo tenant has the same group
 * names with its own ids (assignments map across tenants by name); `Pilot devices` exists twice in each tenant
 * (an ambiguous name).
 */
export const DEMO_GROUP_NAMES = ['All Windows devices', 'Finance users', 'Sales users', 'IT admins', 'Kiosk devices', 'Contractors', 'Executives', 'Pilot devices'];
export const DUPLICATED_GROUP_NAME = 'Pilot devices';

export function demoGroups(directoryId: string, count: number | undefined): GraphObject[] {
  // A stream of its own, so group ids do not move when policy counts change.
  const random = seededRandom(hashString(`groups:${directoryId}`));
  const names = [...DEMO_GROUP_NAMES, DUPLICATED_GROUP_NAME];
  return Array.from({ length: count ?? names.length }, (_, index) => {
    const displayName = index < names.length ? names[index] : `Group ${index + 1}`;
    return {
      id: deterministicUuid(random),
      displayName,
      description: `${displayName} (demo)`,
      mailEnabled: false,
      mailNickname: displayName.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      securityEnabled: true,
      groupTypes: [],
      createdDateTime: '2023-01-10T08:00:00Z',
    };
  });
}

/** Scope tag `0` (Default) and the two default enrollment configurations every tenant has. */
export function builtInObjects(directoryId: string): Array<{ type: string; object: GraphObject }> {
  const stamp = { createdDateTime: '2022-01-01T00:00:00Z', lastModifiedDateTime: '2022-01-01T00:00:00Z', version: 1 };
  const allUsers = { target: { '@odata.type': '#microsoft.graph.allLicensedUsersAssignmentTarget' } };
  return [
    { type: 'scopeTag', object: { id: '0', displayName: 'Default', description: 'Built-in scope tag', isBuiltIn: true, assignments: [] } },
    {
      type: 'enrollmentConfiguration',
      object: {
        '@odata.type': '#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration',
        id: `${directoryId}_DefaultPlatformRestrictions`,
        displayName: 'All users and all devices',
        description: 'This is the default Device Type Restriction applied with the lowest priority to all users regardless of group membership.',
        priority: 0,
        deviceEnrollmentConfigurationType: 'platformRestrictions',
        roleScopeTagIds: ['0'],
        ...stamp,
        assignments: [{ id: `${directoryId}_DefaultPlatformRestrictions_allUsers`, ...allUsers }],
      },
    },
    {
      type: 'enrollmentConfiguration',
      object: {
        '@odata.type': '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration',
        id: `${directoryId}_DefaultWindows10EnrollmentCompletionPageConfiguration`,
        displayName: 'All users and all devices',
        description: 'This is the default enrollment status screen configuration applied with the lowest priority to all users and all devices regardless of group membership.',
        priority: 0,
        deviceEnrollmentConfigurationType: 'windows10EnrollmentCompletionPageConfiguration',
        showInstallationProgress: false,
        installProgressTimeoutInMinutes: 60,
        roleScopeTagIds: ['0'],
        ...stamp,
        assignments: [{ id: `${directoryId}_DefaultWindows10EnrollmentCompletionPageConfiguration_allUsers`, ...allUsers }],
      },
    },
    ...['Restart stopped Office C2R svc', 'Update stale Group Policies'].map((displayName, index) => ({
      type: 'remediationScript',
      object: {
        '@odata.type': '#microsoft.graph.deviceHealthScript',
        id: `00000000-0000-4000-a000-00000000000${index + 1}`,
        displayName,
        description: `${displayName} (Microsoft)`,
        publisher: 'Microsoft',
        isGlobalScript: true,
        deviceHealthScriptType: 'deviceHealthScript',
        highestAvailableVersion: '1',
        runAsAccount: 'system',
        enforceSignatureCheck: false,
        runAs32Bit: false,
        roleScopeTagIds: ['0'],
        detectionScriptContent: Buffer.from('exit 0').toString('base64'),
        remediationScriptContent: Buffer.from('exit 0').toString('base64'),
        createdDateTime: '2022-01-01T00:00:00Z',
        lastModifiedDateTime: '2022-01-01T00:00:00Z',
        version: '1',
        assignments: [],
      },
    })),
    // Intune's built-in roles: read-only, and (as in Graph) the same id in every tenant.
    ...['Help Desk Operator', 'Read Only Operator'].map((displayName, index) => ({
      type: 'roleDefinition',
      object: {
        '@odata.type': '#microsoft.graph.deviceAndAppManagementRoleDefinition',
        id: `00000000-0000-4000-b000-00000000000${index + 1}`,
        displayName,
        description: `${displayName} (built-in)`,
        isBuiltIn: true,
        isBuiltInRoleDefinition: true,
        roleScopeTagIds: [],
        rolePermissions: [{ resourceActions: [{ allowedResourceActions: ['Microsoft.Intune_Organization_Read'], notAllowedResourceActions: [] }] }],
      },
    })),
    // Every tenant has a default branding profile: it may be changed, never deleted.
    {
      type: 'brandingProfile',
      object: {
        '@odata.type': '#microsoft.graph.intuneBrandingProfile',
        id: `${directoryId}_DefaultBrandingProfile`,
        profileName: 'Default',
        profileDescription: 'Default branding profile',
        isDefaultProfile: true,
        displayName: '',
        showLogo: false,
        roleScopeTagIds: ['0'],
        createdDateTime: stamp.createdDateTime,
        lastModifiedDateTime: stamp.lastModifiedDateTime,
        assignments: [],
      },
    },
  ];
}

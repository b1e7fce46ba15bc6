import { minimalPermissions } from './graph-permissions.js';
import type { GraphPermissionNeeds, PolicyTypeContract, PolicyTypeLookup, SubResourceContract } from './policy-type-contract.js';

const assignments: SubResourceContract = { name: 'assignments', segment: 'assignments', write: 'separate' };
const assign = (bodyProperty = 'assignments') => ({ segment: '/assign' as const, bodyProperty });

/** Report-like navigation properties that Intune returns on configuration objects but never accepts. */
const statusNavigations = [
  'deviceStatuses',
  'userStatuses',
  'deviceStatusOverview',
  'userStatusOverview',
  'deviceSettingStateSummaries',
  'runSummary',
  'deviceRunStates',
  'userRunStates',
];

/** The Intune permission families of Graph's permission tables (`{family}.Read.All` / `{family}.ReadWrite.All`). */
type PermissionFamily =
  | 'DeviceManagementConfiguration'
  | 'DeviceManagementScripts'
  | 'DeviceManagementServiceConfig'
  | 'DeviceManagementRBAC'
  | 'DeviceManagementApps';

/**
 * Reads of the names references are captured and mapped by (capture/reference-names.ts, the restore's
 * matching): groups (`/v1.0/groups`: Group.Read.All) and assignment filters (DeviceManagementConfiguration)
 * named in assignments, scope tags (`roleScopeTags`: DeviceManagementRBAC), compliance notification
 * templates (`notificationMessageTemplates`: DeviceManagementServiceConfig).
 */
const ASSIGNMENT_NAMES = ['Group.Read.All', 'DeviceManagementConfiguration.Read.All'];
const SCOPE_TAG_NAMES = ['DeviceManagementRBAC.Read.All'];
const NOTIFICATION_TEMPLATE_NAMES = ['DeviceManagementServiceConfig.Read.All'];

/** `{family}.Read.All` to capture, `{family}.ReadWrite.All` to restore, both with the reads of reference names. */
function permissionsOf(family: PermissionFamily, ...references: string[][]): GraphPermissionNeeds {
  const names = references.flat();
  return { read: minimalPermissions([`${family}.Read.All`, ...names]), restore: minimalPermissions([`${family}.ReadWrite.All`, ...names]) };
}

const defaults = {
  apiVersion: 'beta',
  readEachById: false,
  nameProperty: 'displayName',
  createMethod: 'POST',
  updateMethod: 'PATCH',
  foundation: false,
} as const;

const contracts: PolicyTypeContract[] = [
  {
    ...defaults,
    type: 'deviceConfiguration',
    permissions: permissionsOf('DeviceManagementConfiguration', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'Device configuration profile',
    collectionPath: '/deviceManagement/deviceConfigurations',
    subResources: [assignments],
    stripProperties: [
      ...statusNavigations,
      'groupAssignments',
      'supportsScopeTags',
      'deviceManagementApplicabilityRuleOsEdition',
      // Update rings (windowsUpdateForBusinessConfiguration): set by Intune's pause and rollback actions.
      'qualityUpdatesRollbackStartDateTime',
      'featureUpdatesRollbackStartDateTime',
      'featureUpdatesPauseExpiryDateTime',
      'qualityUpdatesPauseExpiryDateTime',
      'featureUpdatesWillBeRolledBack',
      'qualityUpdatesWillBeRolledBack',
    ],
    assignment: assign(),
  },
  {
    ...defaults,
    type: 'settingsCatalogPolicy',
    permissions: permissionsOf('DeviceManagementConfiguration', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'Settings catalog policy',
    collectionPath: '/deviceManagement/configurationPolicies',
    nameProperty: 'name',
    updateMethod: 'PUT',
    subResources: [{ name: 'settings', segment: 'settings', write: 'inline' }, assignments],
    stripProperties: ['settingCount', 'isAssigned', 'creationSource', 'priorityMetaData'],
    assignment: assign(),
  },
  {
    ...defaults,
    type: 'compliancePolicy',
    permissions: permissionsOf('DeviceManagementConfiguration', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES, NOTIFICATION_TEMPLATE_NAMES),
    displayName: 'Compliance policy',
    collectionPath: '/deviceManagement/deviceCompliancePolicies',
    subResources: [
      {
        name: 'scheduledActionsForRule',
        segment: 'scheduledActionsForRule',
        expand: 'scheduledActionConfigurations',
        read: 'expand',
        write: 'inline',
      },
      assignments,
    ],
    stripProperties: [...statusNavigations, 'supportsScopeTags'],
    assignment: assign(),
  },
  {
    ...defaults,
    type: 'administrativeTemplate',
    permissions: permissionsOf('DeviceManagementConfiguration', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'Administrative template',
    collectionPath: '/deviceManagement/groupPolicyConfigurations',
    subResources: [
      { name: 'definitionValues', segment: 'definitionValues', expand: 'definition,presentationValues($expand=presentation)', write: 'separate' },
      assignments,
    ],
    stripProperties: ['policyConfigurationIngestionType'],
    assignment: assign(),
  },
  {
    ...defaults,
    type: 'endpointSecurityIntent',
    permissions: permissionsOf('DeviceManagementConfiguration', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'Endpoint security policy (intent)',
    collectionPath: '/deviceManagement/intents',
    // Written through createInstance / updateSettings, never in the intent's body.
    subResources: [{ name: 'settings', segment: 'settings', write: 'separate' }, assignments],
    stripProperties: ['isAssigned', 'isMigratingToConfigurationPolicy'],
    assignment: assign(),
  },
  {
    ...defaults,
    type: 'windowsPlatformScript',
    permissions: permissionsOf('DeviceManagementScripts', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'Windows platform script',
    collectionPath: '/deviceManagement/deviceManagementScripts',
    readEachById: true,
    subResources: [assignments],
    stripProperties: [...statusNavigations, 'groupAssignments'],
    assignment: assign('deviceManagementScriptAssignments'),
  },
  {
    ...defaults,
    type: 'macOSPlatformScript',
    permissions: permissionsOf('DeviceManagementScripts', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'macOS shell script',
    collectionPath: '/deviceManagement/deviceShellScripts',
    readEachById: true,
    subResources: [assignments],
    stripProperties: [...statusNavigations, 'groupAssignments'],
    assignment: assign('deviceManagementScriptAssignments'),
  },
  {
    ...defaults,
    type: 'remediationScript',
    permissions: permissionsOf('DeviceManagementScripts', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'Remediation script',
    collectionPath: '/deviceManagement/deviceHealthScripts',
    readEachById: true,
    subResources: [assignments],
    stripProperties: [...statusNavigations, 'isGlobalScript', 'highestAvailableVersion', 'deviceHealthScriptType'],
    assignment: assign('deviceHealthScriptAssignments'),
  },
  {
    ...defaults,
    type: 'windowsFeatureUpdateProfile',
    permissions: permissionsOf('DeviceManagementConfiguration', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'Windows feature update profile',
    collectionPath: '/deviceManagement/windowsFeatureUpdateProfiles',
    subResources: [assignments],
    stripProperties: ['deployableContentDisplayName', 'endOfSupportDate'],
    assignment: assign(),
  },
  {
    ...defaults,
    type: 'windowsQualityUpdateProfile',
    permissions: permissionsOf('DeviceManagementConfiguration', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'Windows quality update profile',
    collectionPath: '/deviceManagement/windowsQualityUpdateProfiles',
    subResources: [assignments],
    stripProperties: ['deployableContentDisplayName', 'releaseDateDisplayName'],
    assignment: assign(),
  },
  {
    ...defaults,
    type: 'windowsDriverUpdateProfile',
    permissions: permissionsOf('DeviceManagementConfiguration', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'Windows driver update profile',
    collectionPath: '/deviceManagement/windowsDriverUpdateProfiles',
    subResources: [assignments],
    stripProperties: ['deviceReporting', 'newUpdates', 'inventorySyncStatus', 'driverInventories'],
    assignment: assign(),
  },
  {
    ...defaults,
    type: 'enrollmentConfiguration',
    permissions: permissionsOf('DeviceManagementServiceConfig', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'Enrollment configuration',
    collectionPath: '/deviceManagement/deviceEnrollmentConfigurations',
    subResources: [assignments],
    stripProperties: ['priority', 'deviceEnrollmentConfigurationType'],
    comparedReadOnly: ['priority'],
    assignment: assign('enrollmentConfigurationAssignments'),
  },
  {
    ...defaults,
    type: 'autopilotProfile',
    permissions: permissionsOf('DeviceManagementServiceConfig', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'Windows Autopilot deployment profile',
    collectionPath: '/deviceManagement/windowsAutopilotDeploymentProfiles',
    subResources: [assignments],
    stripProperties: ['assignedDevices', 'managementServiceAppId'],
    assignment: { segment: '/assignments', bodyProperty: 'target' },
  },
  {
    ...defaults,
    type: 'assignmentFilter',
    permissions: permissionsOf('DeviceManagementConfiguration', SCOPE_TAG_NAMES),
    displayName: 'Assignment filter',
    collectionPath: '/deviceManagement/assignmentFilters',
    subResources: [],
    stripProperties: ['payloads'],
    stripOnUpdate: ['platform'],
    assignment: null,
    foundation: true,
  },
  {
    ...defaults,
    type: 'scopeTag',
    permissions: permissionsOf('DeviceManagementRBAC', ASSIGNMENT_NAMES),
    displayName: 'Scope tag',
    collectionPath: '/deviceManagement/roleScopeTags',
    subResources: [assignments],
    stripProperties: ['isBuiltIn'],
    assignment: assign(),
    foundation: true,
    // roleScopeTag has no lastModifiedDateTime to compare (ARCHITECTURE.md "Incremental capture").
    reuseUnchangedListing: false,
  },
  {
    ...defaults,
    type: 'appProtectionPolicy',
    permissions: permissionsOf('DeviceManagementApps', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'App protection policy',
    collectionPath: '/deviceAppManagement/managedAppPolicies',
    createPathByODataType: {
      '#microsoft.graph.iosManagedAppProtection': '/deviceAppManagement/iosManagedAppProtections',
      '#microsoft.graph.androidManagedAppProtection': '/deviceAppManagement/androidManagedAppProtections',
      '#microsoft.graph.windowsManagedAppProtection': '/deviceAppManagement/windowsManagedAppProtections',
    },
    typedCollections: true,
    // Read with the object (`$expand=apps,assignments` on the platform collections); apps written through `targetApps`.
    subResources: [
      { name: 'apps', segment: 'apps', read: 'expand', write: 'separate' },
      { ...assignments, read: 'expand' },
    ],
    stripProperties: ['isAssigned', 'deployedAppCount', 'deploymentSummary'],
    assignment: assign(),
  },
  {
    ...defaults,
    type: 'appConfigurationPolicy',
    permissions: permissionsOf('DeviceManagementApps', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'App configuration policy (managed devices)',
    collectionPath: '/deviceAppManagement/mobileAppConfigurations',
    subResources: [assignments],
    stripProperties: [...statusNavigations],
    assignment: assign(),
  },
];

/** Every supported Intune policy type, keyed by its stable id (stored in backup items and run targets). */
export const POLICY_TYPE_CONTRACTS: Readonly<Record<string, PolicyTypeContract>> = Object.freeze(
  Object.fromEntries(contracts.map((contract) => [contract.type, Object.freeze(contract)])),
);

/**
 * Every application permission the given types (default: all) need to be captured and restored, as an
 * admin grants them: sorted, each once, a `.Read.All` left out where its `.ReadWrite.All` is listed.
 */
export function requiredApplicationPermissions(types: readonly string[] = listPolicyTypes()): string[] {
  return minimalPermissions(types.flatMap((type) => {
    const lookup = getPolicyTypeContract(type);
    return lookup.supported ? [...lookup.contract.permissions.read, ...lookup.contract.permissions.restore] : [];
  }));
}

export function listPolicyTypes(options: { includeFoundations?: boolean } = {}): string[] {
  const includeFoundations = options.includeFoundations ?? true;
  return contracts.filter((contract) => includeFoundations || !contract.foundation).map((contract) => contract.type);
}

export function isSupportedPolicyType(type: string): boolean {
  return Object.prototype.hasOwnProperty.call(POLICY_TYPE_CONTRACTS, type);
}

/** Never throws: an unknown type is a typed "unsupported" result the caller records as skipped. */
export function getPolicyTypeContract(type: string): PolicyTypeLookup {
  if (typeof type === 'string' && isSupportedPolicyType(type)) {
    return { supported: true, contract: POLICY_TYPE_CONTRACTS[type] };
  }
  return { supported: false, type: String(type).slice(0, 100), reason: 'unsupported_policy_type' };
}

/** The collection that accepts a create for this object (polymorphic collections create by `@odata.type`). */
export function createPathFor(contract: PolicyTypeContract, body: Record<string, unknown>): string {
  const odataType = body['@odata.type'];
  if (contract.createPathByODataType && typeof odataType === 'string') {
    return contract.createPathByODataType[odataType] ?? contract.collectionPath;
  }
  return contract.collectionPath;
}

/** The collections a type is listed from: its typed collections, or its one collection. */
export function listPathsFor(contract: PolicyTypeContract): Array<{ path: string; odataType?: string }> {
  if (contract.typedCollections && contract.createPathByODataType) {
    return Object.entries(contract.createPathByODataType).map(([odataType, path]) => ({ path, odataType }));
  }
  return [{ path: contract.collectionPath }];
}

/** `/{version}{collection}/{id}` of an object (typed collections by the object's `@odata.type`). */
export function objectPathFor(contract: PolicyTypeContract, object: Record<string, unknown>, id: string): string {
  const collection = contract.typedCollections ? createPathFor(contract, object) : contract.collectionPath;
  return `/${contract.apiVersion}${collection}/${encodeURIComponent(id)}`;
}

/** The `$expand` that reads a type's `read: 'expand'` relations with the object, or undefined. */
export function objectExpandFor(contract: PolicyTypeContract): string | undefined {
  const expanded = contract.subResources.filter((sub) => sub.read === 'expand');
  if (expanded.length === 0) return undefined;
  return expanded.map((sub) => (sub.expand ? `${sub.name}($expand=${sub.expand})` : sub.name)).join(',');
}

/** Relations read with their own `GET {object}/{segment}` (everything not read with the object). */
export function pathRelationsFor(contract: PolicyTypeContract): SubResourceContract[] {
  return contract.subResources.filter((sub) => sub.read !== 'expand');
}

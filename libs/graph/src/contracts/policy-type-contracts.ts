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
  | 'DeviceManagementApps'
  | 'CloudPC'
  | 'DeviceManagementManagedDevices';

/**
 * Reads of the names references are captured and mapped by (capture/reference-names.ts, the restore's
 * matching): groups (`/v1.0/groups`: Group.Read.All) and assignment filters (DeviceManagementConfiguration)
 * named in assignments, scope tags (`roleScopeTags`: DeviceManagementRBAC), compliance notification
 * templates (`notificationMessageTemplates`: DeviceManagementServiceConfig).
 */
const ASSIGNMENT_NAMES = ['Group.Read.All', 'DeviceManagementConfiguration.Read.All'];
const SCOPE_TAG_NAMES = ['DeviceManagementRBAC.Read.All'];
const NOTIFICATION_TEMPLATE_NAMES = ['DeviceManagementServiceConfig.Read.All'];

/**
 * Entra Conditional Access (policies and named locations): Graph's permission tables ask `Policy.Read.All`
 * to read, and `Policy.Read.All` with `Policy.ReadWrite.ConditionalAccess` to create and update.
 */
const CONDITIONAL_ACCESS_PERMISSIONS: GraphPermissionNeeds = {
  read: ['Policy.Read.All'],
  restore: ['Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess'],
};

/** Policy set items name their member by `payloadId`; these are the types a set can hold (`restoreAfter`). */
export const POLICY_SET_MEMBER_TYPES: Readonly<Record<string, string>> = {
  '#microsoft.graph.deviceConfigurationPolicySetItem': 'deviceConfiguration',
  '#microsoft.graph.deviceCompliancePolicyPolicySetItem': 'compliancePolicy',
  '#microsoft.graph.deviceManagementConfigurationPolicyPolicySetItem': 'settingsCatalogPolicy',
  '#microsoft.graph.deviceManagementScriptPolicySetItem': 'windowsPlatformScript',
  '#microsoft.graph.enrollmentRestrictionsConfigurationPolicySetItem': 'enrollmentConfiguration',
  '#microsoft.graph.windows10EnrollmentCompletionPageConfigurationPolicySetItem': 'enrollmentConfiguration',
  '#microsoft.graph.windowsAutopilotDeploymentProfilePolicySetItem': 'autopilotProfile',
  '#microsoft.graph.managedAppProtectionPolicySetItem': 'appProtectionPolicy',
  '#microsoft.graph.targetedManagedAppConfigurationPolicySetItem': 'managedAppConfiguration',
  '#microsoft.graph.managedDeviceMobileAppConfigurationPolicySetItem': 'appConfigurationPolicy',
  '#microsoft.graph.mdmWindowsInformationProtectionPolicyPolicySetItem': 'mdmWindowsInformationProtectionPolicy',
  '#microsoft.graph.mobileAppPolicySetItem': 'mobileApp',
};

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
  restorable: true,
} as const;

/** Enrollment configuration kinds that are their own types; `enrollmentConfiguration` keeps every other kind. */
const ENROLLMENT_KINDS = {
  enrollmentStatusPage: ['#microsoft.graph.windows10EnrollmentCompletionPageConfiguration'],
  enrollmentPlatformRestriction: ['#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration', '#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration'],
  enrollmentDeviceLimit: ['#microsoft.graph.deviceEnrollmentLimitConfiguration'],
  enrollmentWindowsHelloForBusiness: ['#microsoft.graph.deviceEnrollmentWindowsHelloForBusinessConfiguration'],
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
    subResources: [{ name: 'settings', segment: 'settings', definitions: 'settingDefinitions', write: 'inline' }, assignments],
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
    // The kinds with their own types are left to them, so that no object is captured twice.
    listFilter: { mode: 'exclude', odataTypes: Object.values(ENROLLMENT_KINDS).flat() },
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
  // Apps, Windows 365 and Entra Conditional Access (issue 15).
  {
    ...defaults,
    type: 'managedAppConfiguration',
    permissions: permissionsOf('DeviceManagementApps', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'App configuration policy (managed apps)',
    collectionPath: '/deviceAppManagement/targetedManagedAppConfigurations',
    // Apps read by path, written through `targetApps` (with `appGroupType`), like app protection.
    subResources: [{ name: 'apps', segment: 'apps', write: 'separate' }, assignments],
    stripProperties: ['isAssigned', 'deployedAppCount', 'deploymentSummary'],
    assignment: assign(),
  },
  {
    ...defaults,
    type: 'windowsInformationProtectionPolicy',
    permissions: permissionsOf('DeviceManagementApps', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'Windows Information Protection (without enrollment)',
    collectionPath: '/deviceAppManagement/windowsInformationProtectionPolicies',
    subResources: [assignments],
    stripProperties: ['isAssigned', 'protectedAppLockerFiles', 'exemptAppLockerFiles'],
    assignment: assign(),
  },
  {
    ...defaults,
    type: 'mdmWindowsInformationProtectionPolicy',
    permissions: permissionsOf('DeviceManagementApps', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'Windows Information Protection (with enrollment)',
    collectionPath: '/deviceAppManagement/mdmWindowsInformationProtectionPolicies',
    subResources: [assignments],
    stripProperties: ['isAssigned', 'protectedAppLockerFiles', 'exemptAppLockerFiles'],
    assignment: assign(),
  },
  {
    ...defaults,
    type: 'mobileApp',
    permissions: permissionsOf('DeviceManagementApps', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'Application (metadata and assignments)',
    collectionPath: '/deviceAppManagement/mobileApps',
    subResources: [assignments],
    stripProperties: [
      'isAssigned',
      'publishingState',
      'uploadState',
      'dependentAppCount',
      'supersedingAppCount',
      'supersededAppCount',
      'committedContentVersion',
      'size',
      'largeIcon',
      'categories',
      'relationships',
    ],
    assignment: assign('mobileAppAssignments'),
    restoresAssignmentsOnly: true,
    // Graph's mobileApp docs: listing with `$expand=assignments` is deprecated; expand on each app instead.
    listExpandsAssignments: false,
    matchProperties: ['bundleId', 'packageId', 'identityName'],
  },
  {
    ...defaults,
    type: 'mobileAppCategory',
    permissions: permissionsOf('DeviceManagementApps'),
    displayName: 'App category',
    collectionPath: '/deviceAppManagement/mobileAppCategories',
    subResources: [],
    stripProperties: [],
    assignment: null,
  },
  {
    ...defaults,
    type: 'cloudPcProvisioningPolicy',
    permissions: permissionsOf('CloudPC', ASSIGNMENT_NAMES),
    displayName: 'Windows 365 provisioning policy',
    collectionPath: '/deviceManagement/virtualEndpoint/provisioningPolicies',
    subResources: [assignments],
    stripProperties: ['alternateResourceUrl', 'cloudPcGroupDisplayName', 'gracePeriodInHours', 'managedBy', 'createdBy', 'lastModifiedBy'],
    assignment: assign(),
  },
  {
    ...defaults,
    type: 'cloudPcUserSetting',
    permissions: permissionsOf('CloudPC', ASSIGNMENT_NAMES),
    displayName: 'Windows 365 user setting',
    collectionPath: '/deviceManagement/virtualEndpoint/userSettings',
    subResources: [assignments],
    stripProperties: [],
    assignment: assign(),
  },
  {
    ...defaults,
    apiVersion: 'v1.0',
    type: 'namedLocation',
    permissions: CONDITIONAL_ACCESS_PERMISSIONS,
    displayName: 'Named location (Entra)',
    collectionPath: '/identity/conditionalAccess/namedLocations',
    subResources: [],
    stripProperties: ['modifiedDateTime'],
    assignment: null,
  },
  {
    ...defaults,
    apiVersion: 'v1.0',
    type: 'conditionalAccessPolicy',
    permissions: CONDITIONAL_ACCESS_PERMISSIONS,
    displayName: 'Conditional Access policy (Entra)',
    collectionPath: '/identity/conditionalAccess/policies',
    subResources: [],
    stripProperties: ['modifiedDateTime', 'templateId', 'deletedDateTime'],
    assignment: null,
    restoreAfter: ['namedLocation'],
  },
  {
    ...defaults,
    type: 'policySet',
    permissions: permissionsOf('DeviceManagementConfiguration', ['DeviceManagementApps.Read.All'], ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'Policy set',
    collectionPath: '/deviceAppManagement/policySets',
    // Items come with the set (`$expand=items`); written through the set's `update` action, like its assignments.
    subResources: [{ name: 'items', segment: 'items', read: 'expand', write: 'separate' }, assignments],
    stripProperties: ['status', 'errorCode'],
    assignment: { segment: '/update', bodyProperty: 'assignments' },
    restoreAfter: [...new Set(Object.values(POLICY_SET_MEMBER_TYPES))],
  },
  {
    ...defaults,
    apiVersion: 'v1.0',
    type: 'authenticationStrengthPolicy',
    // Graph's permission tables: `Policy.Read.AuthenticationMethod` to read, `Policy.ReadWrite.AuthenticationMethod` to write.
    permissions: { read: ['Policy.Read.AuthenticationMethod'], restore: ['Policy.ReadWrite.AuthenticationMethod'] },
    displayName: 'Authentication strength (Entra)',
    collectionPath: '/policies/authenticationStrengthPolicies',
    subResources: [],
    stripProperties: ['modifiedDateTime', 'policyType', 'requirementsSatisfied', 'combinationConfigurations'],
    // Changed only through `updateAllowedCombinations` (a PATCH takes the name and description).
    stripOnUpdate: ['allowedCombinations'],
    assignment: null,
  },
];

const enrollmentKind = (type: keyof typeof ENROLLMENT_KINDS, displayName: string): PolicyTypeContract => ({
  ...defaults,
  type,
  permissions: permissionsOf('DeviceManagementServiceConfig', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
  displayName,
  collectionPath: '/deviceManagement/deviceEnrollmentConfigurations',
  listFilter: { mode: 'include', odataTypes: ENROLLMENT_KINDS[type] },
  subResources: [assignments],
  stripProperties: ['priority', 'deviceEnrollmentConfigurationType'],
  comparedReadOnly: ['priority'],
  assignment: assign('enrollmentConfigurationAssignments'),
});

/** Device management (Intune) types added for coverage (issue 15): compliance, RBAC, enrollment, branding, tenant settings. */
const deviceManagementContracts: PolicyTypeContract[] = [
  {
    ...defaults,
    type: 'settingsCatalogCompliancePolicy',
    permissions: permissionsOf('DeviceManagementConfiguration', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES, NOTIFICATION_TEMPLATE_NAMES),
    displayName: 'Compliance policy (settings catalog)',
    collectionPath: '/deviceManagement/compliancePolicies',
    nameProperty: 'name',
    updateMethod: 'PUT',
    subResources: [
      // Read without `$expand=settingDefinitions`: documented and widely used for configuration policies only.
      { name: 'settings', segment: 'settings', write: 'inline' },
      { name: 'scheduledActionsForRule', segment: 'scheduledActionsForRule', expand: 'scheduledActionConfigurations', write: 'inline' },
      assignments,
    ],
    stripProperties: ['settingCount', 'isAssigned', 'creationSource'],
    assignment: assign(),
  },
  {
    ...defaults,
    type: 'complianceScript',
    permissions: permissionsOf('DeviceManagementConfiguration', SCOPE_TAG_NAMES),
    displayName: 'Compliance script',
    collectionPath: '/deviceManagement/deviceComplianceScripts',
    readEachById: true,
    subResources: [],
    stripProperties: [...statusNavigations],
    assignment: null,
  },
  {
    ...defaults,
    type: 'notificationMessageTemplate',
    permissions: permissionsOf('DeviceManagementServiceConfig', SCOPE_TAG_NAMES),
    displayName: 'Compliance notification message template',
    collectionPath: '/deviceManagement/notificationMessageTemplates',
    // Written one by one after the template (`POST {template}/localizedNotificationMessages`, PATCH by id).
    subResources: [{ name: 'localizedNotificationMessages', segment: 'localizedNotificationMessages', write: 'separate' }],
    stripProperties: [],
    assignment: null,
  },
  {
    ...defaults,
    type: 'reusablePolicySetting',
    permissions: permissionsOf('DeviceManagementConfiguration'),
    displayName: 'Reusable policy setting',
    collectionPath: '/deviceManagement/reusablePolicySettings',
    subResources: [],
    stripProperties: ['referencingConfigurationPolicyCount', 'referencingConfigurationPolicies'],
    assignment: null,
  },
  {
    ...defaults,
    type: 'macOSCustomAttribute',
    permissions: permissionsOf('DeviceManagementScripts', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'macOS custom attribute',
    collectionPath: '/deviceManagement/deviceCustomAttributeShellScripts',
    readEachById: true,
    subResources: [assignments],
    stripProperties: [...statusNavigations, 'groupAssignments'],
    assignment: assign('deviceManagementScriptAssignments'),
  },
  {
    ...defaults,
    type: 'deviceCategory',
    permissions: permissionsOf('DeviceManagementManagedDevices', SCOPE_TAG_NAMES),
    displayName: 'Device category',
    collectionPath: '/deviceManagement/deviceCategories',
    subResources: [],
    stripProperties: [],
    assignment: null,
  },
  {
    ...defaults,
    type: 'roleDefinition',
    permissions: permissionsOf('DeviceManagementRBAC'),
    displayName: 'Intune role definition',
    collectionPath: '/deviceManagement/roleDefinitions',
    subResources: [],
    // Built-in roles are captured, never written (isBuiltInObject); `roleAssignments` are their own type.
    stripProperties: ['isBuiltIn', 'isBuiltInRoleDefinition', 'roleAssignments'],
    assignment: null,
  },
  {
    ...defaults,
    type: 'roleAssignment',
    permissions: permissionsOf('DeviceManagementRBAC', ASSIGNMENT_NAMES),
    displayName: 'Intune role assignment',
    collectionPath: '/deviceManagement/roleAssignments',
    // The role it grants, read with it and written as `roleDefinition@odata.bind` (writes/role-assignment.writes.ts).
    subResources: [{ name: 'roleDefinition', segment: 'roleDefinition', read: 'expand', write: 'separate' }],
    stripProperties: ['roleScopeTags'],
    assignment: null,
  },
  {
    ...defaults,
    type: 'termsAndConditions',
    permissions: permissionsOf('DeviceManagementServiceConfig', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'Terms and conditions',
    collectionPath: '/deviceManagement/termsAndConditions',
    subResources: [assignments],
    stripProperties: ['modifiedDateTime', 'acceptanceStatuses', 'groupAssignments'],
    // No `/assign` action: one assignment per `POST …/assignments` (removed by DELETE).
    assignment: { segment: '/assignments', bodyProperty: 'target' },
  },
  {
    ...defaults,
    type: 'brandingProfile',
    permissions: permissionsOf('DeviceManagementApps', ASSIGNMENT_NAMES, SCOPE_TAG_NAMES),
    displayName: 'Intune branding profile',
    collectionPath: '/deviceManagement/intuneBrandingProfiles',
    nameProperty: 'profileName',
    subResources: [assignments],
    // The default profile exists in every tenant: updated, never created (isUpdateOnlyObject).
    stripProperties: ['isDefaultProfile'],
    assignment: assign(),
  },
  enrollmentKind('enrollmentStatusPage', 'Enrollment status page'),
  enrollmentKind('enrollmentPlatformRestriction', 'Enrollment platform restrictions'),
  enrollmentKind('enrollmentDeviceLimit', 'Enrollment device limit'),
  enrollmentKind('enrollmentWindowsHelloForBusiness', 'Windows Hello for Business (enrollment)'),
  {
    ...defaults,
    type: 'appleEnrollmentProfile',
    permissions: permissionsOf('DeviceManagementServiceConfig'),
    displayName: 'Apple automated device enrollment profile',
    collectionPath: '/deviceManagement/depOnboardingSettings',
    nestedUnder: { parentPath: '/deviceManagement/depOnboardingSettings', segment: 'enrollmentProfiles' },
    subResources: [],
    stripProperties: [],
    assignment: null,
    // Graph creates and updates profiles only under an Apple token (`{token}/enrollmentProfiles`), which is
    // the tenant's own Apple Business Manager link: writing them back (and mapping tokens between tenants) is
    // not built yet, so they are backed up only.
    restorable: false,
    notRestorableReason: 'apple_token_bound',
  },
  {
    ...defaults,
    type: 'deviceManagementSettings',
    permissions: permissionsOf('DeviceManagementServiceConfig'),
    displayName: 'Tenant-wide device management settings',
    collectionPath: '/deviceManagement/settings',
    singletonId: 'deviceManagementSettings',
    subResources: [],
    stripProperties: [],
    assignment: null,
    tenantSettings: true,
  },
];

contracts.push(...deviceManagementContracts);

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
/** Collection paths (with their version) that more than one type lists: each keeps its kinds (`belongsToType`). */
const SHARED_COLLECTIONS: ReadonlySet<string> = (() => {
  const paths = contracts.flatMap((contract) => (contract.singletonId !== undefined || contract.nestedUnder ? [] : listPathsFor(contract).map(({ path }) => `/${contract.apiVersion}${path}`)));
  return new Set(paths.filter((path, index) => paths.indexOf(path) !== index));
})();

/** Whether several types list this collection (`/{version}{path}`): the enrollment configurations, one type per kind. */
export function isSharedCollection(versionedPath: string): boolean {
  return SHARED_COLLECTIONS.has(versionedPath);
}

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
  // A tenant's one object (its settings) is its collection path; nested objects are found under their parent.
  if (contract.singletonId !== undefined) return `/${contract.apiVersion}${contract.collectionPath}`;
  if (contract.nestedUnder) {
    const { parentId, childId } = splitNestedId(id);
    return `/${contract.apiVersion}${contract.nestedUnder.parentPath}/${encodeURIComponent(parentId)}/${contract.nestedUnder.segment}/${encodeURIComponent(childId)}`;
  }
  const collection = contract.typedCollections ? createPathFor(contract, object) : contract.collectionPath;
  return `/${contract.apiVersion}${collection}/${encodeURIComponent(id)}`;
}

/** `{parentId}/{id}`: how the id of an object nested under a parent collection is stored. */
export function nestedId(parentId: string, childId: string): string {
  return `${parentId}/${childId}`;
}

export function splitNestedId(id: string): { parentId: string; childId: string } {
  const separator = id.indexOf('/');
  return separator < 0 ? { parentId: '', childId: id } : { parentId: id.slice(0, separator), childId: id.slice(separator + 1) };
}

/** Whether a listed object belongs to the type (collections shared between types are told apart by `@odata.type`). */
export function belongsToType(contract: PolicyTypeContract, object: Record<string, unknown>): boolean {
  if (!contract.listFilter) return true;
  const odataType = typeof object['@odata.type'] === 'string' ? object['@odata.type'] : '';
  const listed = contract.listFilter.odataTypes.includes(odataType);
  return contract.listFilter.mode === 'include' ? listed : !listed;
}

/**
 * The type an object of `policyType` is handled as now: an object captured as a kind that has since got
 * its own type (an enrollment status page backed up as `enrollmentConfiguration`) is restored as that type,
 * so that older backups stay readable and restore onto the same live object.
 */
export function currentPolicyTypeOf(policyType: string, object: Record<string, unknown>): string {
  const lookup = getPolicyTypeContract(policyType);
  if (!lookup.supported || belongsToType(lookup.contract, object)) return policyType;
  const owner = contracts.find((other) => other.collectionPath === lookup.contract.collectionPath && other.listFilter?.mode === 'include' && belongsToType(other, object));
  return owner?.type ?? policyType;
}

/** Why items of a type are never written by a restore (backup-only types), or null when it is restorable. */
export function notRestorableReason(contract: PolicyTypeContract): string | null {
  return contract.restorable ? null : (contract.notRestorableReason ?? 'not_restorable');
}

/** Types a restore can write (backup-only ones left out). */
export function listRestorableTypes(): string[] {
  return contracts.filter((contract) => contract.restorable).map((contract) => contract.type);
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

/**
 * Whether a backup's listing of the type shows each entry's assignments: read by path (not with the object), so
 * the listing asks `$expand=assignments`, unless Graph deprecates that for the type (`listExpandsAssignments`).
 * False also for a type without assignments read by path (there is nothing to show).
 */
export function listingExpandsAssignments(contract: PolicyTypeContract): boolean {
  return contract.listExpandsAssignments !== false && pathRelationsFor(contract).some((sub) => sub.name === 'assignments');
}

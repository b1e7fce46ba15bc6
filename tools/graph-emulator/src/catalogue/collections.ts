import type { GraphObject } from '../graph/tenant-store.js';

/**
 * The entity sets the emulator serves, with what Graph's documentation says about each beyond the metadata:
 * server-managed properties, what list answers leave out, and which navigation properties can be expanded,
 * read as a sub-path or written inline. Types and property names come from the catalogue (graph-catalogue.json),
 * never from PolicyVault's client.
 */
export interface NavigationRule {
  /** `GET /{id}/{name}` answers; 'badRequest' answers 400 (Graph's compliance `scheduledActionsForRule`). */
  readable: boolean | 'badRequest';
  expandable: boolean;
  /**
   * `false`: expandable on one object but not on a listing of the collection, answered 400 (Graph's mobileApp
   * resource: "Listing mobile apps with `$expand=assignments` has been deprecated"; expand on each app instead).
   * Stricter than Graph while it still answers: a client that relies on the deprecated listing fails here.
   */
  listExpandable?: false;
  /** Accepted inside a create body, or inside create and update bodies. */
  inline?: 'create' | 'createAndUpdate';
  /**
   * `POST /{id}/{name}` adds one item, `DELETE /{id}/{name}/{itemId}` removes it (Autopilot assignments);
   * `PATCH /{id}/{name}/{itemId}` changes one too (localized notification messages).
   */
  itemWrites?: boolean;
  /**
   * A single-valued navigation to an object of another collection (a role assignment's `roleDefinition`):
   * written only as `{name}@odata.bind` (an URL of that object), read with `$expand` as the object itself.
   */
  reference?: string;
  /** Navigation properties of the items: expandable with a nested `$expand`, written inline with their parent. */
  nested?: Record<string, NavigationRule>;
}

export interface CollectionView {
  /** Path after the version, without leading slash. */
  path: string;
  /** A derived-type collection only holds (and creates) this type. */
  odataType?: string;
  /** Listing and reading only (managedAppPolicies lists every platform's protections). */
  readOnly?: boolean;
}

export interface CollectionDefinition {
  key: string;
  version: 'beta' | 'v1.0';
  views: CollectionView[];
  /** Base entity type in the catalogue. */
  entityType: string;
  nameProperty: 'displayName' | 'name' | 'profileName' | 'tokenName';
  /** Server-managed per Graph's docs (besides `id`, `createdDateTime`, `lastModifiedDateTime`, `version`). */
  readOnly: string[];
  /** Writable on create only. */
  readOnlyOnUpdate?: string[];
  /** Left out (null) in list answers, as Intune does; read the object by id. */
  listOmits?: string[];
  navigations: Record<string, NavigationRule>;
  /** How objects are created: POST to the collection, through an action elsewhere, or not at all (Microsoft's catalogues). */
  create: 'post' | 'createInstance' | 'none';
  /** PATCH/PUT/DELETE allowed (false for read-only catalogues). */
  writable: boolean;
  /** Objects Microsoft owns in every tenant: captured, never created, changed or deleted. */
  isBuiltIn?: (object: GraphObject) => boolean;
  /** Objects every tenant has that may be changed but never deleted (the default branding profile). */
  isUndeletable?: (object: GraphObject) => boolean;
}

/** Properties every Intune object's server manages when its type declares them. */
export const SERVER_STAMPS = ['id', 'createdDateTime', 'lastModifiedDateTime', 'version'];

const assignments: NavigationRule = { readable: true, expandable: true };
const beta = (key: string, path: string, entityType: string, rest: Partial<CollectionDefinition>): CollectionDefinition => ({
  key,
  version: 'beta',
  views: [{ path }],
  entityType,
  nameProperty: 'displayName',
  readOnly: [],
  navigations: { assignments },
  create: 'post',
  writable: true,
  ...rest,
});

export const COLLECTIONS: CollectionDefinition[] = [
  beta('deviceConfiguration', 'deviceManagement/deviceConfigurations', 'deviceConfiguration', {
    readOnly: [
      'supportsScopeTags',
      // windowsUpdateForBusinessConfiguration (update rings): computed by the service.
      'qualityUpdatesRollbackStartDateTime',
      'featureUpdatesRollbackStartDateTime',
      'featureUpdatesPauseExpiryDateTime',
      'qualityUpdatesPauseExpiryDateTime',
      'featureUpdatesWillBeRolledBack',
      'qualityUpdatesWillBeRolledBack',
    ],
  }),
  beta('settingsCatalogPolicy', 'deviceManagement/configurationPolicies', 'deviceManagementConfigurationPolicy', {
    nameProperty: 'name',
    readOnly: ['settingCount', 'isAssigned', 'creationSource'],
    navigations: { assignments, settings: { readable: true, expandable: true, inline: 'createAndUpdate', nested: { settingDefinitions: { readable: false, expandable: true } } } },
  }),
  beta('compliancePolicy', 'deviceManagement/deviceCompliancePolicies', 'deviceCompliancePolicy', {
    navigations: {
      assignments,
      scheduledActionsForRule: {
        readable: 'badRequest',
        expandable: true,
        inline: 'create',
        nested: { scheduledActionConfigurations: { readable: false, expandable: true, inline: 'create' } },
      },
    },
  }),
  beta('administrativeTemplate', 'deviceManagement/groupPolicyConfigurations', 'groupPolicyConfiguration', {
    navigations: {
      assignments,
      definitionValues: {
        readable: true,
        expandable: true,
        nested: { definition: { readable: false, expandable: true }, presentationValues: { readable: false, expandable: true, nested: { presentation: { readable: false, expandable: true } } } },
      },
    },
  }),
  beta('endpointSecurityIntent', 'deviceManagement/intents', 'deviceManagementIntent', {
    readOnly: ['isAssigned', 'isMigratingToConfigurationPolicy'],
    readOnlyOnUpdate: ['templateId'],
    navigations: { assignments, settings: { readable: true, expandable: true }, categories: { readable: true, expandable: true, nested: { settings: { readable: true, expandable: true } } } },
    create: 'createInstance',
  }),
  beta('windowsPlatformScript', 'deviceManagement/deviceManagementScripts', 'deviceManagementScript', { listOmits: ['scriptContent'] }),
  beta('macOSPlatformScript', 'deviceManagement/deviceShellScripts', 'deviceShellScript', { listOmits: ['scriptContent'] }),
  beta('remediationScript', 'deviceManagement/deviceHealthScripts', 'deviceHealthScript', {
    readOnly: ['isGlobalScript', 'highestAvailableVersion', 'deviceHealthScriptType'],
    listOmits: ['detectionScriptContent', 'remediationScriptContent'],
    isBuiltIn: (object) => object.isGlobalScript === true,
  }),
  beta('windowsFeatureUpdateProfile', 'deviceManagement/windowsFeatureUpdateProfiles', 'windowsFeatureUpdateProfile', { readOnly: ['deployableContentDisplayName', 'endOfSupportDate'] }),
  beta('windowsQualityUpdateProfile', 'deviceManagement/windowsQualityUpdateProfiles', 'windowsQualityUpdateProfile', { readOnly: ['deployableContentDisplayName', 'releaseDateDisplayName'] }),
  beta('windowsDriverUpdateProfile', 'deviceManagement/windowsDriverUpdateProfiles', 'windowsDriverUpdateProfile', { readOnly: ['deviceReporting', 'newUpdates', 'inventorySyncStatus'] }),
  beta('enrollmentConfiguration', 'deviceManagement/deviceEnrollmentConfigurations', 'deviceEnrollmentConfiguration', {
    readOnlyOnUpdate: ['priority'],
    isBuiltIn: (object) => /_Default[A-Za-z0-9]+$/.test(String(object.id)),
  }),
  beta('autopilotProfile', 'deviceManagement/windowsAutopilotDeploymentProfiles', 'windowsAutopilotDeploymentProfile', {
    readOnly: ['managementServiceAppId'],
    navigations: { assignments: { readable: true, expandable: true, itemWrites: true } },
  }),
  beta('assignmentFilter', 'deviceManagement/assignmentFilters', 'deviceAndAppManagementAssignmentFilter', { readOnlyOnUpdate: ['platform'], navigations: {} }),
  beta('scopeTag', 'deviceManagement/roleScopeTags', 'roleScopeTag', { readOnly: ['isBuiltIn'], isBuiltIn: (object) => object.id === '0' || object.isBuiltIn === true }),
  beta('appProtectionPolicy', 'deviceAppManagement/iosManagedAppProtections', 'managedAppPolicy', {
    views: [
      { path: 'deviceAppManagement/iosManagedAppProtections', odataType: '#microsoft.graph.iosManagedAppProtection' },
      { path: 'deviceAppManagement/androidManagedAppProtections', odataType: '#microsoft.graph.androidManagedAppProtection' },
      { path: 'deviceAppManagement/windowsManagedAppProtections', odataType: '#microsoft.graph.windowsManagedAppProtection' },
      { path: 'deviceAppManagement/managedAppPolicies', readOnly: true },
    ],
    readOnly: ['isAssigned', 'deployedAppCount'],
    navigations: { assignments, apps: { readable: true, expandable: true } },
  }),
  beta('appConfigurationPolicy', 'deviceAppManagement/mobileAppConfigurations', 'managedDeviceMobileAppConfiguration', {}),
  beta('notificationMessageTemplate', 'deviceManagement/notificationMessageTemplates', 'notificationMessageTemplate', {
    navigations: { localizedNotificationMessages: { readable: true, expandable: true, itemWrites: true } },
  }),
  // Apps, policy sets, Windows 365 and Entra Conditional Access (issue 15).
  beta('managedAppConfiguration', 'deviceAppManagement/targetedManagedAppConfigurations', 'targetedManagedAppConfiguration', {
    readOnly: ['isAssigned', 'deployedAppCount'],
    navigations: { assignments, apps: { readable: true, expandable: true } },
  }),
  beta('windowsInformationProtectionPolicy', 'deviceAppManagement/windowsInformationProtectionPolicies', 'windowsInformationProtectionPolicy', {
    readOnly: ['isAssigned'],
    navigations: { assignments, protectedAppLockerFiles: { readable: true, expandable: true }, exemptAppLockerFiles: { readable: true, expandable: true } },
  }),
  beta('mdmWindowsInformationProtectionPolicy', 'deviceAppManagement/mdmWindowsInformationProtectionPolicies', 'mdmWindowsInformationProtectionPolicy', {
    readOnly: ['isAssigned'],
    navigations: { assignments, protectedAppLockerFiles: { readable: true, expandable: true }, exemptAppLockerFiles: { readable: true, expandable: true } },
  }),
  beta('mobileApp', 'deviceAppManagement/mobileApps', 'mobileApp', {
    // Set by the service as content is uploaded, published and assigned (mobileApp reference).
    readOnly: ['isAssigned', 'publishingState', 'uploadState', 'dependentAppCount', 'supersedingAppCount', 'supersededAppCount', 'committedContentVersion', 'size'],
    navigations: { assignments: { ...assignments, listExpandable: false }, categories: { readable: true, expandable: true } },
  }),
  beta('mobileAppCategory', 'deviceAppManagement/mobileAppCategories', 'mobileAppCategory', { navigations: {} }),
  beta('policySet', 'deviceAppManagement/policySets', 'policySet', {
    readOnly: ['status', 'errorCode'],
    navigations: { assignments, items: { readable: true, expandable: true, inline: 'create' } },
  }),
  beta('cloudPcProvisioningPolicy', 'deviceManagement/virtualEndpoint/provisioningPolicies', 'cloudPcProvisioningPolicy', {
    readOnly: ['alternateResourceUrl', 'cloudPcGroupDisplayName', 'gracePeriodInHours', 'managedBy', 'createdBy', 'lastModifiedBy'],
  }),
  beta('cloudPcUserSetting', 'deviceManagement/virtualEndpoint/userSettings', 'cloudPcUserSetting', {}),
  {
    ...beta('namedLocation', 'identity/conditionalAccess/namedLocations', 'namedLocation', { readOnly: ['modifiedDateTime'], navigations: {} }),
    version: 'v1.0',
  },
  {
    ...beta('conditionalAccessPolicy', 'identity/conditionalAccess/policies', 'conditionalAccessPolicy', { readOnly: ['modifiedDateTime'], navigations: {} }),
    version: 'v1.0',
  },
  {
    ...beta('authenticationStrengthPolicy', 'policies/authenticationStrengthPolicies', 'authenticationStrengthPolicy', {
      readOnly: ['modifiedDateTime', 'policyType', 'requirementsSatisfied'],
      // Changed only through updateAllowedCombinations (Graph's update reference).
      readOnlyOnUpdate: ['allowedCombinations'],
      navigations: { combinationConfigurations: { readable: true, expandable: true } },
      isBuiltIn: (object) => object.policyType === 'builtIn',
    }),
    version: 'v1.0',
  },
  beta('settingsCatalogCompliancePolicy', 'deviceManagement/compliancePolicies', 'deviceManagementCompliancePolicy', {
    nameProperty: 'name',
    readOnly: ['settingCount', 'isAssigned', 'creationSource'],
    navigations: {
      assignments,
      settings: { readable: true, expandable: true, inline: 'createAndUpdate' },
      // Graph's "List deviceManagementComplianceScheduledActionForRules" reads them by sub-path (unlike the older compliance policies).
      scheduledActionsForRule: {
        readable: true,
        expandable: true,
        inline: 'createAndUpdate',
        nested: { scheduledActionConfigurations: { readable: true, expandable: true, inline: 'createAndUpdate' } },
      },
    },
  }),
  beta('complianceScript', 'deviceManagement/deviceComplianceScripts', 'deviceComplianceScript', { listOmits: ['detectionScriptContent'], navigations: {} }),
  beta('reusablePolicySetting', 'deviceManagement/reusablePolicySettings', 'deviceManagementReusablePolicySetting', {
    readOnly: ['referencingConfigurationPolicyCount'],
    navigations: {},
  }),
  beta('macOSCustomAttribute', 'deviceManagement/deviceCustomAttributeShellScripts', 'deviceCustomAttributeShellScript', { listOmits: ['scriptContent'] }),
  beta('deviceCategory', 'deviceManagement/deviceCategories', 'deviceCategory', { navigations: {} }),
  beta('roleDefinition', 'deviceManagement/roleDefinitions', 'roleDefinition', {
    readOnly: ['isBuiltInRoleDefinition'],
    navigations: {},
    isBuiltIn: (object) => object.isBuiltIn === true,
  }),
  beta('roleAssignment', 'deviceManagement/roleAssignments', 'deviceAndAppManagementRoleAssignment', {
    navigations: { roleDefinition: { readable: true, expandable: true, reference: 'roleDefinition' } },
  }),
  beta('termsAndConditions', 'deviceManagement/termsAndConditions', 'termsAndConditions', {
    readOnly: ['modifiedDateTime'],
    navigations: { assignments: { readable: true, expandable: true, itemWrites: true } },
  }),
  beta('brandingProfile', 'deviceManagement/intuneBrandingProfiles', 'intuneBrandingProfile', {
    nameProperty: 'profileName',
    readOnlyOnUpdate: ['isDefaultProfile'],
    isUndeletable: (object) => object.isDefaultProfile === true,
  }),
  beta('depOnboardingSetting', 'deviceManagement/depOnboardingSettings', 'depOnboardingSetting', {
    nameProperty: 'tokenName',
    navigations: { enrollmentProfiles: { readable: true, expandable: true } },
    create: 'none',
    writable: false,
  }),
  beta('intentTemplate', 'deviceManagement/templates', 'deviceManagementTemplate', {
    readOnly: ['intentCount'],
    navigations: { settings: { readable: true, expandable: true }, categories: { readable: true, expandable: true } },
    create: 'none',
    writable: false,
  }),
  beta('groupPolicyDefinition', 'deviceManagement/groupPolicyDefinitions', 'groupPolicyDefinition', {
    navigations: { presentations: { readable: true, expandable: true } },
    create: 'none',
    writable: false,
  }),
  beta('settingDefinition', 'deviceManagement/configurationSettings', 'deviceManagementConfigurationSettingDefinition', {
    navigations: {},
    create: 'none',
    writable: false,
  }),
  {
    key: 'group',
    version: 'v1.0',
    views: [{ path: 'groups' }],
    entityType: 'group',
    nameProperty: 'displayName',
    readOnly: [],
    navigations: {},
    create: 'none',
    writable: false,
  },
];

const byKey = new Map(COLLECTIONS.map((collection) => [collection.key, collection]));

export function collectionByKey(key: string): CollectionDefinition | undefined {
  return byKey.get(key);
}

export function isCollectionKey(key: string): boolean {
  return byKey.has(key);
}

/** Keys of the collections tenants author (everything but Microsoft's read-only catalogues). */
export const AUTHORED_COLLECTION_KEYS = COLLECTIONS.filter((collection) => collection.create !== 'none').map((collection) => collection.key);

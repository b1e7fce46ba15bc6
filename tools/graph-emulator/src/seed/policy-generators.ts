import type { GraphObject } from '../graph/tenant-store.js';
import { GROUP_POLICY_DEFINITIONS, INTENT_TEMPLATES } from './microsoft-catalogue.js';
import { deterministicUuid } from './seed-ids.js';
import { SEEDED_GROUP_CHILDREN, SEEDED_SETTING_AREAS, isSeededGroupCollection, seededSettingDefinitionId } from './setting-definitions.js';

export type Random = () => number;

/** What generated objects may reference in their tenant. */
export interface SeedReferences {
  /** Groups with a unique name (assignments never target the duplicated name). */
  groupIds: string[];
  filterIds: string[];
  notificationTemplateIds: string[];
}

export const pick = <T>(random: Random, values: readonly T[]): T => values[Math.floor(random() * values.length)];
export const between = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const base64 = (text: string) => Buffer.from(text).toString('base64');
const stamp = '2024-03-01T09:00:00Z';

function target(random: Random, references: SeedReferences, index: number): GraphObject {
  const filterId = references.filterIds.length > 0 && random() < 0.3 ? pick(random, references.filterIds) : undefined;
  if (references.groupIds.length === 0) return { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget', deviceAndAppManagementAssignmentFilterId: filterId ?? null, deviceAndAppManagementAssignmentFilterType: filterId ? 'include' : 'none' };
  return {
    '@odata.type': index === 2 ? '#microsoft.graph.exclusionGroupAssignmentTarget' : '#microsoft.graph.groupAssignmentTarget',
    groupId: references.groupIds[(index + between(random, 0, references.groupIds.length - 1)) % references.groupIds.length],
    deviceAndAppManagementAssignmentFilterId: index === 2 ? null : (filterId ?? null),
    deviceAndAppManagementAssignmentFilterType: filterId && index !== 2 ? 'include' : 'none',
  };
}

export function assignments(random: Random, references: SeedReferences): GraphObject[] {
  const seen = new Set<unknown>();
  return Array.from({ length: between(random, 0, 3) }, (_, index) => ({ id: deterministicUuid(random), target: target(random, references, index) })).filter((item) => {
    const key = (item.target as GraphObject).groupId ?? 'all';
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Settings-catalog settings: group collections with nested children, the deepest shape Intune has. */
function catalogSettings(random: Random): GraphObject[] {
  return Array.from({ length: between(random, 8, 30) }, (_, index) => {
    const definitionId = seededSettingDefinitionId(pick(random, SEEDED_SETTING_AREAS), index);
    // Each id has one shape, as in Microsoft's catalogue (its definitions: setting-definitions.ts).
    const settingInstance =
      isSeededGroupCollection(index)
        ? {
            '@odata.type': '#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance',
            settingDefinitionId: definitionId,
            groupSettingCollectionValue: Array.from({ length: between(random, 1, 3) }, () => ({
              children: Array.from({ length: between(random, 1, SEEDED_GROUP_CHILDREN) }, (_, child) => ({
                '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
                settingDefinitionId: `${definitionId}_child${child}`,
                choiceSettingValue: { value: `${definitionId}_child${child}_${between(random, 0, 2)}`, children: [] },
              })),
            })),
          }
        : {
            '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
            settingDefinitionId: definitionId,
            choiceSettingValue: { value: `${definitionId}_${between(random, 0, 1)}`, children: [] },
          };
    return { id: String(index), settingInstance };
  });
}

function omaSettings(random: Random, index: number): GraphObject[] {
  const settings: GraphObject[] = [
    { '@odata.type': '#microsoft.graph.omaSettingInteger', displayName: 'Allow Cortana', omaUri: './Vendor/MSFT/Policy/Config/Experience/AllowCortana', value: between(random, 0, 1), isReadOnly: false },
  ];
  // Every other custom profile carries a secret value (Wi-Fi pre-shared key), stored encrypted by Graph.
  if (index % 2 === 1) {
    settings.push({
      '@odata.type': '#microsoft.graph.omaSettingString',
      displayName: 'Wi-Fi pre-shared key',
      omaUri: './Vendor/MSFT/WiFi/Profile/Corp/WlanXml',
      isEncrypted: true,
      secretReferenceValueId: deterministicUuid(random),
      value: `psk-${index}-${between(random, 1000, 9999)}`,
    });
  }
  return settings;
}

function definitionValues(random: Random): GraphObject[] {
  const start = between(random, 0, GROUP_POLICY_DEFINITIONS.length - 1);
  return Array.from({ length: between(random, 1, 4) }, (_, offset) => {
    const definition = GROUP_POLICY_DEFINITIONS[(start + offset) % GROUP_POLICY_DEFINITIONS.length];
    return {
      id: deterministicUuid(random),
      enabled: random() < 0.8,
      configurationType: 'policy',
      createdDateTime: stamp,
      lastModifiedDateTime: stamp,
      definition: structuredClone(definition.object),
      presentationValues: definition.presentations.map((presentation) => ({
        ...(String(presentation['@odata.type']).endsWith('CheckBox')
          ? { '@odata.type': '#microsoft.graph.groupPolicyPresentationValueBoolean', value: random() < 0.5 }
          : { '@odata.type': '#microsoft.graph.groupPolicyPresentationValueText', value: `https://intranet.example.com/${between(random, 1, 99)}` }),
        id: deterministicUuid(random),
        createdDateTime: stamp,
        lastModifiedDateTime: stamp,
        presentation: structuredClone(presentation),
      })),
    };
  });
}

function complianceActions(random: Random, references: SeedReferences): GraphObject[] {
  const notify = references.notificationTemplateIds.length > 0 && random() < 0.6;
  const block = { id: deterministicUuid(random), actionType: 'block', gracePeriodHours: 0, notificationTemplateId: '', notificationMessageCCList: [] };
  const notification = notify
    ? [{ id: deterministicUuid(random), actionType: 'notification', gracePeriodHours: 24, notificationTemplateId: pick(random, references.notificationTemplateIds), notificationMessageCCList: [] }]
    : [];
  return [{ id: deterministicUuid(random), ruleName: 'PasswordRequired', scheduledActionConfigurations: [block, ...notification] }];
}

type Generator = (random: Random, index: number, references: SeedReferences) => GraphObject;

/** One generator per collection key; every object is valid for its type in the catalogue. */
export const GENERATORS: Record<string, Generator> = {
  notificationMessageTemplate: (random, index) => ({
    displayName: `Non-compliance notice ${index}`,
    description: 'Tell the user how to fix their device',
    defaultLocale: 'en-us',
    brandingOptions: pick(random, ['includeCompanyLogo', 'includeCompanyName', 'includeContactInformation']),
    roleScopeTagIds: ['0'],
    localizedNotificationMessages: [{ id: deterministicUuid(random), locale: 'en-us', subject: `Device not compliant (${index})`, messageTemplate: 'Your device does not meet the company policy.', isDefault: true, lastModifiedDateTime: stamp }],
  }),
  assignmentFilter: (random, index) => ({
    displayName: `Filter ${index}`,
    description: 'Corporate devices',
    platform: pick(random, ['windows10AndLater', 'iOS', 'android']),
    rule: `(device.deviceOwnership -eq "Corporate") and (device.model -contains "${pick(random, ['Surface', 'ThinkPad', 'iPhone'])}")`,
    assignmentFilterManagementType: 'devices',
    roleScopeTags: ['0'],
    payloads: [],
  }),
  scopeTag: (random, index, references) => ({
    displayName: `Scope tag ${index}`,
    description: `Region ${pick(random, ['EMEA', 'AMER', 'APAC'])}`,
    isBuiltIn: false,
    assignments: assignments(random, { ...references, filterIds: [] }).map(({ id, target: assignmentTarget }) => ({ id, target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: (assignmentTarget as GraphObject).groupId ?? references.groupIds[0] } })),
  }),
  deviceConfiguration: (random, index) => {
    const kind = index % 3;
    const common = { displayName: `Device restrictions ${index}`, description: 'Baseline device restrictions', roleScopeTagIds: ['0'], supportsScopeTags: true };
    if (kind === 0) return { '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', ...common, passwordRequired: random() < 0.8, passwordMinimumLength: between(random, 6, 14), cameraBlocked: random() < 0.2 };
    if (kind === 1) return { '@odata.type': '#microsoft.graph.windows10CustomConfiguration', ...common, displayName: `Custom OMA-URI ${index}`, omaSettings: omaSettings(random, index) };
    return { '@odata.type': '#microsoft.graph.iosGeneralDeviceConfiguration', ...common, passcodeRequired: true, passcodeMinimumLength: between(random, 4, 8), cameraBlocked: random() < 0.2 };
  },
  settingsCatalogPolicy: (random, index) => ({
    name: `Settings catalog ${index}`,
    description: 'Security baseline (settings catalog)',
    platforms: pick(random, ['windows10', 'macOS']),
    technologies: 'mdm',
    roleScopeTagIds: ['0'],
    isAssigned: false,
    creationSource: null,
    templateReference: { templateId: '', templateFamily: 'none' },
    settings: catalogSettings(random),
  }),
  compliancePolicy: (random, index, references) => {
    const windows = index % 2 === 1;
    return {
      '@odata.type': windows ? '#microsoft.graph.windows10CompliancePolicy' : '#microsoft.graph.iosCompliancePolicy',
      displayName: `Compliance ${index}`,
      description: 'Require a compliant device',
      roleScopeTagIds: ['0'],
      ...(windows ? { passwordRequired: true, osMinimumVersion: `10.0.${between(random, 19041, 22631)}` } : { passcodeRequired: true, osMinimumVersion: `17.${between(random, 0, 5)}` }),
      scheduledActionsForRule: complianceActions(random, references),
    };
  },
  administrativeTemplate: (random, index) => ({
    displayName: `Administrative template ${index}`,
    description: 'Edge and Office ADMX settings',
    roleScopeTagIds: ['0'],
    policyConfigurationIngestionType: 'builtIn',
    definitionValues: definitionValues(random),
  }),
  endpointSecurityIntent: (random, index) => {
    const template = pick(random, INTENT_TEMPLATES);
    return {
      displayName: `Endpoint security ${index}`,
      description: String(template.object.displayName),
      templateId: template.object.id,
      roleScopeTagIds: ['0'],
      isAssigned: false,
      isMigratingToConfigurationPolicy: false,
      settings: template.settings.map((setting) => {
        const value = typeof setting.value === 'boolean' ? random() < 0.5 : between(random, 1, 30);
        return { ...setting, id: deterministicUuid(random), value, valueJson: JSON.stringify(value) };
      }),
    };
  },
  windowsPlatformScript: (random, index) => ({
    '@odata.type': '#microsoft.graph.deviceManagementScript',
    displayName: `Windows script ${index}`,
    description: 'Configure the device',
    runAsAccount: pick(random, ['system', 'user']),
    enforceSignatureCheck: false,
    fileName: `script-${index}.ps1`,
    runAs32Bit: false,
    roleScopeTagIds: ['0'],
    scriptContent: base64(`Write-Output "PolicyVault demo ${index}"`),
  }),
  macOSPlatformScript: (random, index) => ({
    '@odata.type': '#microsoft.graph.deviceShellScript',
    displayName: `macOS script ${index}`,
    description: 'Configure the Mac',
    runAsAccount: 'system',
    fileName: `script-${index}.sh`,
    executionFrequency: 'PT0S',
    retryCount: between(random, 0, 3),
    blockExecutionNotifications: true,
    roleScopeTagIds: ['0'],
    scriptContent: base64(`#!/bin/sh\necho "PolicyVault demo ${index}"`),
  }),
  remediationScript: (random, index) => ({
    '@odata.type': '#microsoft.graph.deviceHealthScript',
    displayName: `Remediation ${index}`,
    description: 'Detect and fix drift',
    publisher: 'MSP',
    runAsAccount: 'system',
    enforceSignatureCheck: false,
    runAs32Bit: false,
    isGlobalScript: false,
    deviceHealthScriptType: 'deviceHealthScript',
    highestAvailableVersion: null,
    roleScopeTagIds: ['0'],
    detectionScriptContent: base64(`exit ${between(random, 0, 1)}`),
    remediationScriptContent: base64('exit 0'),
  }),
  windowsFeatureUpdateProfile: (random, index) => ({
    displayName: `Feature update ${index}`,
    description: 'Windows 11 rollout',
    featureUpdateVersion: pick(random, ['Windows 11, version 23H2', 'Windows 11, version 24H2']),
    roleScopeTagIds: ['0'],
    deployableContentDisplayName: 'Windows 11, version 23H2',
    endOfSupportDate: '2026-11-10T00:00:00Z',
    installLatestWindows10OnWindows11IneligibleDevice: false,
  }),
  windowsQualityUpdateProfile: (random, index) => ({
    displayName: `Quality update ${index}`,
    description: 'Expedited security update',
    expeditedUpdateSettings: { qualityUpdateRelease: '2024-06-11T00:00:00Z', daysUntilForcedReboot: between(random, 0, 2) },
    roleScopeTagIds: ['0'],
    releaseDateDisplayName: 'June 11, 2024',
    deployableContentDisplayName: '2024.06 B Security Updates',
  }),
  windowsDriverUpdateProfile: (random, index) => ({
    displayName: `Driver update ${index}`,
    description: 'Driver approvals',
    approvalType: pick(random, ['manual', 'automatic']),
    deploymentDeferralInDays: between(random, 0, 30),
    roleScopeTagIds: ['0'],
    deviceReporting: between(random, 0, 500),
    newUpdates: between(random, 0, 10),
    inventorySyncStatus: { lastSuccessfulSyncDateTime: '2024-06-01T00:00:00Z', driverInventorySyncState: 'success' },
  }),
  enrollmentConfiguration: (random, index) =>
    index % 2 === 1
      ? { '@odata.type': '#microsoft.graph.deviceEnrollmentLimitConfiguration', displayName: `Enrollment limit ${index}`, description: 'Devices per user', priority: index, deviceEnrollmentConfigurationType: 'limit', roleScopeTagIds: ['0'], limit: between(random, 5, 15) }
      : {
          '@odata.type': '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration',
          displayName: `Enrollment status page ${index}`,
          description: 'Track app installs during setup',
          priority: index,
          deviceEnrollmentConfigurationType: 'windows10EnrollmentCompletionPageConfiguration',
          roleScopeTagIds: ['0'],
          showInstallationProgress: true,
          installProgressTimeoutInMinutes: between(random, 30, 120),
          customErrorMessage: 'Contact IT support.',
        },
  autopilotProfile: (random, index) => ({
    '@odata.type': '#microsoft.graph.azureADWindowsAutopilotDeploymentProfile',
    displayName: `Autopilot ${index}`,
    description: 'User-driven Entra join',
    language: 'os-default',
    deviceNameTemplate: `PV-${index}-%RAND:4%`,
    deviceType: 'windowsPc',
    enableWhiteGlove: random() < 0.5,
    managementServiceAppId: null,
    roleScopeTagIds: ['0'],
    outOfBoxExperienceSettings: { hidePrivacySettings: true, hideEULA: true, userType: 'standard', deviceUsageType: 'singleUser', skipKeyboardSelectionPage: true, hideEscapeLink: true },
  }),
  appProtectionPolicy: (random, index) => {
    const platform = index % 3;
    const ios = platform === 1;
    if (platform === 0) {
      return {
        '@odata.type': '#microsoft.graph.windowsManagedAppProtection',
        displayName: `Windows app protection ${index}`,
        description: 'Protect corporate data in Edge',
        roleScopeTagIds: ['0'],
        isAssigned: false,
        deployedAppCount: 1,
        printBlocked: random() < 0.5,
        periodOfflineBeforeAccessCheck: 'PT12H',
        apps: [{ id: 'com.microsoft.edge.windows', version: '1', mobileAppIdentifier: { '@odata.type': '#microsoft.graph.windowsAppIdentifier', windowsAppId: 'com.microsoft.edge' } }],
      };
    }
    const identifiers = ios ? ['com.microsoft.outlook', 'com.microsoft.teams', 'com.microsoft.onedrive'] : ['com.microsoft.office.outlook', 'com.microsoft.teams'];
    const apps = identifiers.slice(0, between(random, 1, identifiers.length)).map((identifier) => ({
      id: `${identifier}.${ios ? 'ios' : 'android'}`,
      version: '1',
      mobileAppIdentifier: ios ? { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: identifier } : { '@odata.type': '#microsoft.graph.androidMobileAppIdentifier', packageId: identifier },
    }));
    return {
      '@odata.type': ios ? '#microsoft.graph.iosManagedAppProtection' : '#microsoft.graph.androidManagedAppProtection',
      displayName: `App protection ${index}`,
      description: 'Protect corporate data in apps',
      roleScopeTagIds: ['0'],
      isAssigned: false,
      deployedAppCount: apps.length,
      appGroupType: 'selectedPublicApps',
      targetedAppManagementLevels: pick(random, ['unspecified', 'unmanaged', 'mdm']),
      periodOfflineBeforeAccessCheck: 'PT12H',
      pinRequired: true,
      minimumPinLength: between(random, 4, 8),
      dataBackupBlocked: true,
      apps,
    };
  },
  appConfigurationPolicy: (random, index) => ({
    '@odata.type': '#microsoft.graph.iosMobileAppConfiguration',
    displayName: `App configuration ${index}`,
    description: 'Managed app settings',
    targetedMobileApps: [deterministicUuid(random)],
    roleScopeTagIds: ['0'],
    settings: [{ appConfigKey: 'IntuneMAMUPN', appConfigKeyType: 'stringType', appConfigKeyValue: '{{userprincipalname}}' }],
  }),
};

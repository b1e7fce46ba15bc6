import { listPolicyTypes } from '@policyvault/graph';
import { hashString, seededRandom } from '../behaviour/random.js';
import type { GraphObject } from '../graph/tenant-store.js';

type Random = () => number;

/** A deterministic UUID-shaped id from the PRNG (seeds must be identical on every start). */
function uuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const pick = <T>(random: Random, values: readonly T[]): T => values[Math.floor(random() * values.length)];
const between = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const baseTime = Date.UTC(2024, 0, 15, 9, 0, 0);

function timestamps(random: Random): GraphObject {
  const created = baseTime + Math.floor(random() * 300) * 86_400_000;
  return {
    createdDateTime: new Date(created).toISOString(),
    lastModifiedDateTime: new Date(created + Math.floor(random() * 30) * 86_400_000).toISOString(),
  };
}

function assignments(random: Random, odataTarget = '#microsoft.graph.groupAssignmentTarget'): GraphObject[] {
  return Array.from({ length: between(random, 0, 3) }, (_, index) => ({
    id: uuid(random),
    target: {
      '@odata.type': index === 2 ? '#microsoft.graph.exclusionGroupAssignmentTarget' : odataTarget,
      groupId: uuid(random),
      deviceAndAppManagementAssignmentFilterId: random() < 0.3 ? uuid(random) : null,
      deviceAndAppManagementAssignmentFilterType: 'none',
    },
  }));
}

/** Settings-catalog settings: group collections with nested children, the deepest shape Intune has. */
function catalogSettings(random: Random): GraphObject[] {
  const count = between(random, 8, 30);
  return Array.from({ length: count }, (_, index) => {
    const definitionId = `device_vendor_msft_policy_config_${pick(random, ['defender', 'browser', 'update', 'bitlocker', 'firewall'])}_setting${index}`;
    const nested = random() < 0.4;
    const settingInstance = nested
      ? {
          '@odata.type': '#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance',
          settingDefinitionId: definitionId,
          groupSettingCollectionValue: Array.from({ length: between(random, 1, 3) }, () => ({
            children: Array.from({ length: between(random, 2, 5) }, (_, child) => ({
              '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
              settingDefinitionId: `${definitionId}_child${child}`,
              choiceSettingValue: {
                value: `${definitionId}_child${child}_${between(random, 0, 2)}`,
                children: random() < 0.5 ? [] : [{ '@odata.type': '#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance', settingDefinitionId: `${definitionId}_child${child}_text`, simpleSettingValue: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationStringSettingValue', value: `value-${between(random, 1, 999)}` } }],
              },
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

const generators: Record<string, (random: Random, index: number) => GraphObject> = {
  deviceConfiguration: (random, index) => ({
    '@odata.type': pick(random, ['#microsoft.graph.windows10GeneralConfiguration', '#microsoft.graph.iosGeneralDeviceConfiguration', '#microsoft.graph.windows10CustomConfiguration']),
    displayName: `Device restrictions ${index}`,
    description: 'Baseline device restrictions',
    roleScopeTagIds: ['0'],
    supportsScopeTags: true,
    passwordRequired: random() < 0.8,
    passwordMinimumLength: between(random, 6, 14),
    cameraBlocked: random() < 0.2,
    assignments: assignments(random),
  }),
  settingsCatalogPolicy: (random, index) => ({
    name: `Settings catalog ${index}`,
    description: 'Security baseline (settings catalog)',
    platforms: pick(random, ['windows10', 'macOS']),
    technologies: 'mdm',
    roleScopeTagIds: ['0'],
    settingCount: 0,
    isAssigned: false,
    creationSource: null,
    templateReference: { templateId: '', templateFamily: 'none' },
    settings: catalogSettings(random),
    assignments: assignments(random),
  }),
  compliancePolicy: (random, index) => ({
    '@odata.type': pick(random, ['#microsoft.graph.windows10CompliancePolicy', '#microsoft.graph.iosCompliancePolicy']),
    displayName: `Compliance ${index}`,
    description: 'Require a compliant device',
    roleScopeTagIds: ['0'],
    passwordRequired: true,
    osMinimumVersion: `10.0.${between(random, 19041, 22631)}`,
    scheduledActionsForRule: [
      {
        id: uuid(random),
        ruleName: 'PasswordRequired',
        scheduledActionConfigurations: Array.from({ length: between(random, 1, 2) }, (_, action) => ({
          id: uuid(random),
          actionType: action === 0 ? 'block' : 'notification',
          gracePeriodHours: action === 0 ? 0 : 24,
          notificationTemplateId: '',
          notificationMessageCCList: [],
        })),
      },
    ],
    assignments: assignments(random),
  }),
  administrativeTemplate: (random, index) => ({
    displayName: `Administrative template ${index}`,
    description: 'Edge and Office ADMX settings',
    roleScopeTagIds: ['0'],
    policyConfigurationIngestionType: 'builtIn',
    definitionValues: Array.from({ length: between(random, 2, 8) }, () => ({
      id: uuid(random),
      enabled: random() < 0.8,
      configurationType: 'policy',
      definition: { id: uuid(random), displayName: `ADMX setting ${between(random, 1, 900)}`, classType: 'machine', categoryPath: '\\Microsoft Edge' },
      presentationValues: [{ '@odata.type': '#microsoft.graph.groupPolicyPresentationValueText', id: uuid(random), value: `value-${between(random, 1, 99)}` }],
    })),
    assignments: assignments(random),
  }),
  endpointSecurityIntent: (random, index) => ({
    displayName: `Endpoint security ${index}`,
    description: 'Antivirus and firewall',
    templateId: uuid(random),
    roleScopeTagIds: ['0'],
    isAssigned: false,
    isMigratingToConfigurationPolicy: false,
    settings: Array.from({ length: between(random, 4, 12) }, (_, setting) => ({
      '@odata.type': '#microsoft.graph.deviceManagementBooleanSettingInstance',
      id: uuid(random),
      definitionId: `deviceConfiguration--windows10EndpointProtectionConfiguration_setting${setting}`,
      valueJson: String(random() < 0.5),
      value: random() < 0.5,
    })),
    assignments: assignments(random),
  }),
  windowsPlatformScript: (random, index) => ({
    '@odata.type': '#microsoft.graph.deviceManagementScript',
    displayName: `Windows script ${index}`,
    description: 'Configure the device',
    runAsAccount: pick(random, ['system', 'user']),
    enforceSignatureCheck: false,
    fileName: `script-${index}.ps1`,
    runAs32Bit: false,
    roleScopeTagIds: ['0'],
    scriptContent: Buffer.from(`Write-Output "PolicyVault demo ${index}"`).toString('base64'),
    assignments: assignments(random),
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
    scriptContent: Buffer.from(`#!/bin/sh\necho "PolicyVault demo ${index}"`).toString('base64'),
    assignments: assignments(random),
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
    highestAvailableVersion: null,
    roleScopeTagIds: ['0'],
    detectionScriptContent: Buffer.from(`exit ${between(random, 0, 1)}`).toString('base64'),
    remediationScriptContent: Buffer.from('exit 0').toString('base64'),
    assignments: assignments(random),
  }),
  windowsFeatureUpdateProfile: (random, index) => ({
    displayName: `Feature update ${index}`,
    description: 'Windows 11 rollout',
    featureUpdateVersion: pick(random, ['Windows 11, version 23H2', 'Windows 11, version 24H2']),
    roleScopeTagIds: ['0'],
    deployableContentDisplayName: 'Windows 11, version 23H2',
    endOfSupportDate: '2026-11-10T00:00:00Z',
    installLatestWindows10OnWindows11IneligibleDevice: false,
    assignments: assignments(random),
  }),
  windowsQualityUpdateProfile: (random, index) => ({
    displayName: `Quality update ${index}`,
    description: 'Expedited security update',
    expeditedUpdateSettings: { qualityUpdateRelease: '2024-06-11T00:00:00Z', daysUntilForcedReboot: between(random, 0, 2) },
    roleScopeTagIds: ['0'],
    releaseDateDisplayName: 'June 11, 2024',
    deployableContentDisplayName: '2024.06 B Security Updates',
    assignments: assignments(random),
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
    assignments: assignments(random),
  }),
  enrollmentConfiguration: (random, index) => ({
    '@odata.type': pick(random, ['#microsoft.graph.deviceEnrollmentLimitConfiguration', '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration']),
    displayName: `Enrollment ${index}`,
    description: 'Enrollment settings',
    priority: index + 1,
    deviceEnrollmentConfigurationType: 'limit',
    roleScopeTagIds: ['0'],
    limit: between(random, 5, 15),
    assignments: assignments(random),
  }),
  autopilotProfile: (random, index) => ({
    '@odata.type': '#microsoft.graph.azureADWindowsAutopilotDeploymentProfile',
    displayName: `Autopilot ${index}`,
    description: 'User-driven Entra join',
    language: 'os-default',
    deviceNameTemplate: `PV-${index}-%RAND:4%`,
    deviceType: 'windowsPc',
    enableWhiteGlove: random() < 0.5,
    roleScopeTagIds: ['0'],
    outOfBoxExperienceSettings: { hidePrivacySettings: true, hideEULA: true, userType: 'standard', deviceUsageType: 'singleUser', skipKeyboardSelectionPage: true, hideEscapeLink: true },
    assignments: assignments(random),
  }),
  assignmentFilter: (random, index) => ({
    displayName: `Filter ${index}`,
    description: 'Corporate devices',
    platform: pick(random, ['windows10AndLater', 'iOS', 'android']),
    rule: `(device.deviceOwnership -eq "Corporate") and (device.model -contains "${pick(random, ['Surface', 'ThinkPad', 'iPhone'])}")`,
    roleScopeTags: ['0'],
    payloads: [],
  }),
  scopeTag: (random, index) => ({
    displayName: `Scope tag ${index}`,
    description: `Region ${pick(random, ['EMEA', 'AMER', 'APAC'])}`,
    isBuiltIn: false,
    assignments: assignments(random, '#microsoft.graph.groupAssignmentTarget'),
  }),
  appProtectionPolicy: (random, index) => {
    const ios = random() < 0.5;
    return {
      '@odata.type': ios ? '#microsoft.graph.iosManagedAppProtection' : '#microsoft.graph.androidManagedAppProtection',
      displayName: `App protection ${index}`,
      description: 'Protect corporate data in apps',
      roleScopeTagIds: ['0'],
      isAssigned: false,
      deployedAppCount: between(random, 0, 10),
      periodOfflineBeforeAccessCheck: 'PT12H',
      pinRequired: true,
      minimumPinLength: between(random, 4, 8),
      dataBackupBlocked: true,
      apps: Array.from({ length: between(random, 2, 6) }, () => ({
        id: uuid(random),
        mobileAppIdentifier: ios
          ? { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: pick(random, ['com.microsoft.outlook', 'com.microsoft.teams', 'com.microsoft.onedrive']) }
          : { '@odata.type': '#microsoft.graph.androidMobileAppIdentifier', packageId: pick(random, ['com.microsoft.office.outlook', 'com.microsoft.teams']) },
      })),
      assignments: assignments(random),
    };
  },
  appConfigurationPolicy: (random, index) => ({
    '@odata.type': '#microsoft.graph.iosMobileAppConfiguration',
    displayName: `App configuration ${index}`,
    description: 'Managed app settings',
    targetedMobileApps: [uuid(random)],
    roleScopeTagIds: ['0'],
    settings: [{ appConfigKey: 'IntuneMAMUPN', appConfigKeyType: 'stringType', appConfigKeyValue: '{{userprincipalname}}' }],
    assignments: assignments(random),
  }),
};

export interface SeedOptions {
  /** Objects per policy type (default 24: "dozens" for the demo tenants). */
  policiesPerType?: number;
  /** Exact count per type, overriding `policiesPerType`. */
  counts?: Partial<Record<string, number>>;
  /** Extra seed so two tenants with the same id can differ (default: derived from the directory id). */
  seed?: number;
}

/** Deterministic objects (Graph shape with relations embedded) for one tenant. */
export function generateDemoPolicies(directoryId: string, options: SeedOptions = {}): Array<{ type: string; object: GraphObject }> {
  const random = seededRandom(options.seed ?? hashString(directoryId));
  const result: Array<{ type: string; object: GraphObject }> = [];
  for (const type of listPolicyTypes()) {
    const count = options.counts?.[type] ?? options.policiesPerType ?? 24;
    for (let index = 1; index <= count; index += 1) {
      const object: GraphObject = { id: uuid(random), ...timestamps(random), version: between(random, 1, 9), ...generators[type](random, index) };
      if (type === 'settingsCatalogPolicy') object.settingCount = (object.settings as unknown[]).length;
      result.push({ type, object });
    }
  }
  return result;
}

export function hasGenerator(type: string): boolean {
  return type in generators;
}

#!/usr/bin/env node
// Builds the emulator's type catalogue from Microsoft Graph's own published metadata
// (github.com/microsoftgraph/msgraph-metadata), reduced to the Intune and Entra types the emulator serves.
//
//   node tools/graph-emulator/scripts/generate-catalogue.mjs [metadata-repo] [--commit <sha>] [--out <file>]
//   node tools/graph-emulator/scripts/generate-catalogue.mjs [metadata-repo] --check
//     regenerates from the commit the committed catalogue records and exits 1 unless the bytes are the same (or,
//     with a clear message, when there is no metadata repository to read)
//
// Sources, read with `git show <commit>:<path>` from the metadata repository (default: the local mirror):
//   schemas/type-mappings/beta-entity-types.json, beta-complex-types.json  property and navigation names per beta type
//   schemas/v1.0-Prod.csdl                                                  base types, property types, bound operations
// beta-Prod.csdl is not published in the mirror, so types that exist only in beta get their base type, the target
// type of the navigation properties we serve and their bound operations from the small tables below, each taken
// from the type's page in the Graph beta reference (learn.microsoft.com/graph/api/resources/intune-*-<type>?view=graph-rest-beta).
// The output is sorted and carries the metadata commit, so the same commit always yields the same bytes.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const DEFAULT_REPO = '/work/.mirror/microsoftgraph+msgraph-metadata/repo';
const DEFAULT_OUT = join(here, '..', 'src', 'catalogue', 'graph-catalogue.json');

/** Entity types the emulator serves, as collections, relations or action parameters; derived types are added. */
const ROOT_ENTITY_TYPES = [
  'deviceConfiguration', 'deviceConfigurationAssignment', 'deviceCompliancePolicy', 'deviceCompliancePolicyAssignment',
  'deviceComplianceScheduledActionForRule', 'deviceComplianceActionItem', 'deviceManagementConfigurationPolicy',
  'deviceManagementConfigurationPolicyAssignment', 'deviceManagementConfigurationSetting', 'groupPolicyConfiguration',
  'groupPolicyConfigurationAssignment', 'groupPolicyDefinitionValue', 'groupPolicyPresentationValue', 'groupPolicyDefinition',
  'groupPolicyPresentation', 'deviceManagementIntent', 'deviceManagementIntentAssignment', 'deviceManagementSettingCategory',
  'deviceManagementSettingInstance', 'deviceManagementTemplate', 'deviceManagementScript', 'deviceManagementScriptAssignment',
  'deviceManagementScriptGroupAssignment', 'deviceShellScript', 'deviceHealthScript', 'deviceHealthScriptAssignment',
  'windowsFeatureUpdateProfile', 'windowsFeatureUpdateProfileAssignment', 'windowsQualityUpdateProfile',
  'windowsQualityUpdateProfileAssignment', 'windowsDriverUpdateProfile', 'windowsDriverUpdateProfileAssignment',
  'deviceEnrollmentConfiguration', 'enrollmentConfigurationAssignment', 'windowsAutopilotDeploymentProfile',
  'windowsAutopilotDeploymentProfileAssignment', 'deviceAndAppManagementAssignmentFilter', 'roleScopeTag', 'roleScopeTagAutoAssignment',
  'managedAppPolicy', 'managedMobileApp', 'targetedManagedAppPolicyAssignment', 'managedDeviceMobileAppConfiguration',
  'managedDeviceMobileAppConfigurationAssignment', 'notificationMessageTemplate', 'localizedNotificationMessage', 'group',
  'deviceManagementConfigurationSettingDefinition',
  // Apps, policy sets, Windows 365 and Entra Conditional Access (issue 15).
  'mobileApp', 'mobileAppAssignment', 'mobileAppCategory', 'policySet', 'policySetItem', 'policySetAssignment',
  'cloudPcProvisioningPolicy', 'cloudPcProvisioningPolicyAssignment', 'cloudPcUserSetting', 'cloudPcUserSettingAssignment',
  'conditionalAccessPolicy', 'namedLocation', 'authenticationStrengthPolicy',
  // Device management coverage (issue 15): compliance (settings catalog) and scripts, reusable settings, custom
  // attributes, categories, RBAC, terms and conditions, branding, Apple DEP enrollment profiles.
  'deviceManagementCompliancePolicy', 'deviceManagementComplianceScheduledActionForRule', 'deviceManagementComplianceActionItem',
  'deviceComplianceScript', 'deviceManagementReusablePolicySetting', 'deviceCustomAttributeShellScript', 'deviceCategory',
  'roleDefinition', 'roleAssignment', 'termsAndConditions', 'termsAndConditionsAssignment', 'intuneBrandingProfile',
  'intuneBrandingProfileAssignment', 'depOnboardingSetting', 'enrollmentProfile',
];

/** Complex types used by the served properties that v1.0 does not type (beta-only owners). */
const ROOT_COMPLEX_TYPES = ['deviceAndAppManagementAssignmentTarget', 'mobileAppIdentifier', 'omaSetting', 'deviceManagementSettings'];

/** Base types of beta-only types (Graph beta reference, "Inherits from"). `entity` is Graph's root entity. */
const BETA_BASE_TYPES = {
  deviceManagementConfigurationPolicy: 'entity',
  deviceManagementConfigurationPolicyAssignment: 'entity',
  deviceManagementConfigurationSetting: 'entity',
  // Settings catalog definitions (`deviceManagement/configurationSettings`), read-only.
  deviceManagementConfigurationSettingDefinition: 'entity',
  deviceManagementConfigurationChoiceSettingDefinition: 'deviceManagementConfigurationSettingDefinition',
  deviceManagementConfigurationChoiceSettingCollectionDefinition: 'deviceManagementConfigurationChoiceSettingDefinition',
  deviceManagementConfigurationSimpleSettingDefinition: 'deviceManagementConfigurationSettingDefinition',
  deviceManagementConfigurationSimpleSettingCollectionDefinition: 'deviceManagementConfigurationSimpleSettingDefinition',
  deviceManagementConfigurationSettingGroupDefinition: 'deviceManagementConfigurationSettingDefinition',
  deviceManagementConfigurationSettingGroupCollectionDefinition: 'deviceManagementConfigurationSettingGroupDefinition',
  deviceManagementConfigurationRedirectSettingDefinition: 'deviceManagementConfigurationSettingDefinition',
  groupPolicyConfiguration: 'entity',
  groupPolicyConfigurationAssignment: 'entity',
  groupPolicyDefinitionValue: 'entity',
  groupPolicyDefinition: 'entity',
  groupPolicyPresentationValue: 'entity',
  groupPolicyPresentationValueBoolean: 'groupPolicyPresentationValue',
  groupPolicyPresentationValueDecimal: 'groupPolicyPresentationValue',
  groupPolicyPresentationValueList: 'groupPolicyPresentationValue',
  groupPolicyPresentationValueLongDecimal: 'groupPolicyPresentationValue',
  groupPolicyPresentationValueMultiText: 'groupPolicyPresentationValue',
  groupPolicyPresentationValueText: 'groupPolicyPresentationValue',
  groupPolicyPresentation: 'entity',
  groupPolicyPresentationText: 'groupPolicyPresentation',
  groupPolicyPresentationTextBox: 'groupPolicyUploadedPresentation',
  groupPolicyUploadedPresentation: 'groupPolicyPresentation',
  groupPolicyPresentationCheckBox: 'groupPolicyUploadedPresentation',
  groupPolicyPresentationComboBox: 'groupPolicyUploadedPresentation',
  groupPolicyPresentationDecimalTextBox: 'groupPolicyUploadedPresentation',
  groupPolicyPresentationDropdownList: 'groupPolicyUploadedPresentation',
  groupPolicyPresentationListBox: 'groupPolicyUploadedPresentation',
  groupPolicyPresentationLongDecimalTextBox: 'groupPolicyUploadedPresentation',
  groupPolicyPresentationMultiTextBox: 'groupPolicyUploadedPresentation',
  deviceManagementIntent: 'entity',
  deviceManagementIntentAssignment: 'entity',
  deviceManagementSettingCategory: 'entity',
  deviceManagementIntentSettingCategory: 'deviceManagementSettingCategory',
  deviceManagementTemplateSettingCategory: 'deviceManagementSettingCategory',
  deviceManagementSettingInstance: 'entity',
  deviceManagementBooleanSettingInstance: 'deviceManagementSettingInstance',
  deviceManagementIntegerSettingInstance: 'deviceManagementSettingInstance',
  deviceManagementStringSettingInstance: 'deviceManagementSettingInstance',
  deviceManagementCollectionSettingInstance: 'deviceManagementSettingInstance',
  deviceManagementComplexSettingInstance: 'deviceManagementSettingInstance',
  deviceManagementAbstractComplexSettingInstance: 'deviceManagementSettingInstance',
  deviceManagementTemplate: 'entity',
  deviceManagementScript: 'entity',
  deviceManagementScriptAssignment: 'entity',
  deviceManagementScriptGroupAssignment: 'entity',
  deviceShellScript: 'entity',
  deviceHealthScript: 'entity',
  deviceHealthScriptAssignment: 'entity',
  windowsFeatureUpdateProfile: 'entity',
  windowsFeatureUpdateProfileAssignment: 'entity',
  windowsQualityUpdateProfile: 'entity',
  windowsQualityUpdateProfileAssignment: 'entity',
  windowsDriverUpdateProfile: 'entity',
  windowsDriverUpdateProfileAssignment: 'entity',
  azureADWindowsAutopilotDeploymentProfile: 'windowsAutopilotDeploymentProfile',
  activeDirectoryWindowsAutopilotDeploymentProfile: 'windowsAutopilotDeploymentProfile',
  deviceAndAppManagementAssignmentFilter: 'entity',
  roleScopeTag: 'entity',
  roleScopeTagAutoAssignment: 'entity',
  windowsManagedAppProtection: 'managedAppPolicy',
  // Commonly exported beta-only derived types (all "Inherits from" the collection's base type in the beta reference).
  windowsDeliveryOptimizationConfiguration: 'deviceConfiguration',
  windowsHealthMonitoringConfiguration: 'deviceConfiguration',
  windowsIdentityProtectionConfiguration: 'deviceConfiguration',
  windowsKioskConfiguration: 'deviceConfiguration',
  windowsDomainJoinConfiguration: 'deviceConfiguration',
  macOSEndpointProtectionConfiguration: 'deviceConfiguration',
  macOSCustomAppConfiguration: 'deviceConfiguration',
  macOSExtensionsConfiguration: 'deviceConfiguration',
  macOSSoftwareUpdateConfiguration: 'deviceConfiguration',
  androidDeviceOwnerGeneralDeviceConfiguration: 'deviceConfiguration',
  androidDeviceOwnerCompliancePolicy: 'deviceCompliancePolicy',
  androidForWorkCompliancePolicy: 'deviceCompliancePolicy',
  aospDeviceOwnerCompliancePolicy: 'deviceCompliancePolicy',
  deviceEnrollmentPlatformRestrictionConfiguration: 'deviceEnrollmentConfiguration',
  deviceEnrollmentNotificationConfiguration: 'deviceEnrollmentConfiguration',
  deviceComanagementAuthorityConfiguration: 'deviceEnrollmentConfiguration',
  windowsRestoreDeviceEnrollmentConfiguration: 'deviceEnrollmentConfiguration',
  androidManagedStoreAppConfiguration: 'managedDeviceMobileAppConfiguration',
  // Policy sets and their item kinds (beta reference: policySet, policySetItem and its derived types).
  policySet: 'entity',
  policySetAssignment: 'entity',
  policySetItem: 'entity',
  deviceCompliancePolicyPolicySetItem: 'policySetItem',
  deviceConfigurationPolicySetItem: 'policySetItem',
  deviceManagementConfigurationPolicyPolicySetItem: 'policySetItem',
  deviceManagementScriptPolicySetItem: 'policySetItem',
  enrollmentRestrictionsConfigurationPolicySetItem: 'policySetItem',
  iosLobAppProvisioningConfigurationPolicySetItem: 'policySetItem',
  managedAppProtectionPolicySetItem: 'policySetItem',
  managedDeviceMobileAppConfigurationPolicySetItem: 'policySetItem',
  mdmWindowsInformationProtectionPolicyPolicySetItem: 'policySetItem',
  mobileAppPolicySetItem: 'policySetItem',
  targetedManagedAppConfigurationPolicySetItem: 'policySetItem',
  windows10EnrollmentCompletionPageConfigurationPolicySetItem: 'policySetItem',
  windowsAutopilotDeploymentProfilePolicySetItem: 'policySetItem',
  deviceManagementCompliancePolicy: 'entity',
  deviceManagementComplianceScheduledActionForRule: 'entity',
  deviceManagementComplianceActionItem: 'entity',
  deviceComplianceScript: 'entity',
  deviceManagementReusablePolicySetting: 'entity',
  deviceCustomAttributeShellScript: 'entity',
  intuneBrandingProfile: 'entity',
  intuneBrandingProfileAssignment: 'entity',
  depOnboardingSetting: 'entity',
  enrollmentProfile: 'entity',
  depEnrollmentBaseProfile: 'enrollmentProfile',
  depEnrollmentProfile: 'enrollmentProfile',
  depIOSEnrollmentProfile: 'depEnrollmentBaseProfile',
  depMacOSEnrollmentProfile: 'depEnrollmentBaseProfile',
  depTvOSEnrollmentProfile: 'depEnrollmentBaseProfile',
  depVisionOSEnrollmentProfile: 'depEnrollmentBaseProfile',
};

/** Abstract beta-only types (the beta reference documents them as abstract). */
const BETA_ABSTRACT = ['groupPolicyPresentationValue', 'groupPolicyPresentation', 'groupPolicyUploadedPresentation', 'deviceManagementSettingInstance'];

/** Target types of the navigation and typed properties the emulator reads or writes, where v1.0 does not type them. */
const BETA_MEMBER_TYPES = {
  'deviceManagementConfigurationPolicy/assignments': 'Collection(microsoft.graph.deviceManagementConfigurationPolicyAssignment)',
  'deviceManagementConfigurationPolicy/settings': 'Collection(microsoft.graph.deviceManagementConfigurationSetting)',
  'deviceManagementConfigurationSetting/settingDefinitions': 'Collection(microsoft.graph.deviceManagementConfigurationSettingDefinition)',
  'deviceManagementConfigurationPolicyAssignment/target': 'microsoft.graph.deviceAndAppManagementAssignmentTarget',
  'groupPolicyConfiguration/assignments': 'Collection(microsoft.graph.groupPolicyConfigurationAssignment)',
  'groupPolicyConfiguration/definitionValues': 'Collection(microsoft.graph.groupPolicyDefinitionValue)',
  'groupPolicyConfigurationAssignment/target': 'microsoft.graph.deviceAndAppManagementAssignmentTarget',
  'groupPolicyDefinitionValue/definition': 'microsoft.graph.groupPolicyDefinition',
  'groupPolicyDefinitionValue/presentationValues': 'Collection(microsoft.graph.groupPolicyPresentationValue)',
  'groupPolicyPresentationValue/presentation': 'microsoft.graph.groupPolicyPresentation',
  'groupPolicyPresentationValue/definitionValue': 'microsoft.graph.groupPolicyDefinitionValue',
  'groupPolicyDefinition/presentations': 'Collection(microsoft.graph.groupPolicyPresentation)',
  'groupPolicyPresentation/definition': 'microsoft.graph.groupPolicyDefinition',
  'deviceManagementIntent/assignments': 'Collection(microsoft.graph.deviceManagementIntentAssignment)',
  'deviceManagementIntent/settings': 'Collection(microsoft.graph.deviceManagementSettingInstance)',
  'deviceManagementIntent/categories': 'Collection(microsoft.graph.deviceManagementIntentSettingCategory)',
  'deviceManagementIntentSettingCategory/settings': 'Collection(microsoft.graph.deviceManagementSettingInstance)',
  'deviceManagementIntentAssignment/target': 'microsoft.graph.deviceAndAppManagementAssignmentTarget',
  'deviceManagementTemplate/settings': 'Collection(microsoft.graph.deviceManagementSettingInstance)',
  'deviceManagementTemplate/categories': 'Collection(microsoft.graph.deviceManagementTemplateSettingCategory)',
  'deviceManagementScript/assignments': 'Collection(microsoft.graph.deviceManagementScriptAssignment)',
  'deviceManagementScript/groupAssignments': 'Collection(microsoft.graph.deviceManagementScriptGroupAssignment)',
  'deviceManagementScriptAssignment/target': 'microsoft.graph.deviceAndAppManagementAssignmentTarget',
  'deviceShellScript/assignments': 'Collection(microsoft.graph.deviceManagementScriptAssignment)',
  'deviceShellScript/groupAssignments': 'Collection(microsoft.graph.deviceManagementScriptGroupAssignment)',
  'deviceHealthScript/assignments': 'Collection(microsoft.graph.deviceHealthScriptAssignment)',
  'deviceHealthScriptAssignment/target': 'microsoft.graph.deviceAndAppManagementAssignmentTarget',
  'windowsFeatureUpdateProfile/assignments': 'Collection(microsoft.graph.windowsFeatureUpdateProfileAssignment)',
  'windowsFeatureUpdateProfileAssignment/target': 'microsoft.graph.deviceAndAppManagementAssignmentTarget',
  'windowsQualityUpdateProfile/assignments': 'Collection(microsoft.graph.windowsQualityUpdateProfileAssignment)',
  'windowsQualityUpdateProfileAssignment/target': 'microsoft.graph.deviceAndAppManagementAssignmentTarget',
  'windowsDriverUpdateProfile/assignments': 'Collection(microsoft.graph.windowsDriverUpdateProfileAssignment)',
  'windowsDriverUpdateProfileAssignment/target': 'microsoft.graph.deviceAndAppManagementAssignmentTarget',
  'roleScopeTag/assignments': 'Collection(microsoft.graph.roleScopeTagAutoAssignment)',
  'roleScopeTagAutoAssignment/target': 'microsoft.graph.deviceAndAppManagementAssignmentTarget',
  'windowsManagedAppProtection/apps': 'Collection(microsoft.graph.managedMobileApp)',
  'windowsManagedAppProtection/assignments': 'Collection(microsoft.graph.targetedManagedAppPolicyAssignment)',
  'windowsAutopilotDeploymentProfile/assignments': 'Collection(microsoft.graph.windowsAutopilotDeploymentProfileAssignment)',
  'windowsAutopilotDeploymentProfileAssignment/target': 'microsoft.graph.deviceAndAppManagementAssignmentTarget',
  'policySet/items': 'Collection(microsoft.graph.policySetItem)',
  'policySet/assignments': 'Collection(microsoft.graph.policySetAssignment)',
  'policySetAssignment/target': 'microsoft.graph.deviceAndAppManagementAssignmentTarget',
  'policySet/roleScopeTags': 'Collection(Edm.String)',
  'policySetItem/guidedDeploymentTags': 'Collection(Edm.String)',
  'policySetItem/payloadId': 'Edm.String',
  'deviceManagementCompliancePolicy/assignments': 'Collection(microsoft.graph.deviceManagementConfigurationPolicyAssignment)',
  'deviceManagementCompliancePolicy/settings': 'Collection(microsoft.graph.deviceManagementConfigurationSetting)',
  'deviceManagementCompliancePolicy/scheduledActionsForRule': 'Collection(microsoft.graph.deviceManagementComplianceScheduledActionForRule)',
  'deviceManagementComplianceScheduledActionForRule/scheduledActionConfigurations': 'Collection(microsoft.graph.deviceManagementComplianceActionItem)',
  'deviceComplianceScript/assignments': 'Collection(microsoft.graph.deviceHealthScriptAssignment)',
  'deviceCustomAttributeShellScript/assignments': 'Collection(microsoft.graph.deviceManagementScriptAssignment)',
  'deviceCustomAttributeShellScript/groupAssignments': 'Collection(microsoft.graph.deviceManagementScriptGroupAssignment)',
  'intuneBrandingProfile/assignments': 'Collection(microsoft.graph.intuneBrandingProfileAssignment)',
  'intuneBrandingProfileAssignment/target': 'microsoft.graph.deviceAndAppManagementAssignmentTarget',
  'depOnboardingSetting/enrollmentProfiles': 'Collection(microsoft.graph.enrollmentProfile)',
};

/** Bound operations the emulator implements; only these are kept from v1.0, the beta-only ones come from this table. */
const USED_OPERATIONS = ['assign', 'scheduleActionsForRules', 'setPriority', 'targetApps', 'getOmaSettingPlainTextValue', 'createInstance', 'updateSettings', 'updateDefinitionValues', 'updateAllowedCombinations'];
const BETA_OPERATIONS = [
  { kind: 'action', name: 'assign', bindingType: 'deviceManagementConfigurationPolicy', parameters: { assignments: 'Collection(microsoft.graph.deviceManagementConfigurationPolicyAssignment)' } },
  { kind: 'action', name: 'assign', bindingType: 'groupPolicyConfiguration', parameters: { assignments: 'Collection(microsoft.graph.groupPolicyConfigurationAssignment)' } },
  { kind: 'action', name: 'assign', bindingType: 'deviceManagementIntent', parameters: { assignments: 'Collection(microsoft.graph.deviceManagementIntentAssignment)' } },
  { kind: 'action', name: 'assign', bindingType: 'deviceManagementScript', parameters: { deviceManagementScriptGroupAssignments: 'Collection(microsoft.graph.deviceManagementScriptGroupAssignment)', deviceManagementScriptAssignments: 'Collection(microsoft.graph.deviceManagementScriptAssignment)' } },
  { kind: 'action', name: 'assign', bindingType: 'deviceShellScript', parameters: { deviceManagementScriptGroupAssignments: 'Collection(microsoft.graph.deviceManagementScriptGroupAssignment)', deviceManagementScriptAssignments: 'Collection(microsoft.graph.deviceManagementScriptAssignment)' } },
  { kind: 'action', name: 'assign', bindingType: 'deviceHealthScript', parameters: { deviceHealthScriptAssignments: 'Collection(microsoft.graph.deviceHealthScriptAssignment)' } },
  { kind: 'action', name: 'assign', bindingType: 'windowsFeatureUpdateProfile', parameters: { assignments: 'Collection(microsoft.graph.windowsFeatureUpdateProfileAssignment)' } },
  { kind: 'action', name: 'assign', bindingType: 'windowsQualityUpdateProfile', parameters: { assignments: 'Collection(microsoft.graph.windowsQualityUpdateProfileAssignment)' } },
  { kind: 'action', name: 'assign', bindingType: 'windowsDriverUpdateProfile', parameters: { assignments: 'Collection(microsoft.graph.windowsDriverUpdateProfileAssignment)' } },
  { kind: 'action', name: 'assign', bindingType: 'roleScopeTag', parameters: { assignments: 'Collection(microsoft.graph.roleScopeTagAutoAssignment)' } },
  { kind: 'action', name: 'assign', bindingType: 'windowsManagedAppProtection', parameters: { assignments: 'Collection(microsoft.graph.targetedManagedAppPolicyAssignment)' } },
  { kind: 'action', name: 'targetApps', bindingType: 'windowsManagedAppProtection', parameters: { apps: 'Collection(microsoft.graph.managedMobileApp)' } },
  { kind: 'action', name: 'createInstance', bindingType: 'deviceManagementTemplate', parameters: { displayName: 'Edm.String', description: 'Edm.String', settingsDelta: 'Collection(microsoft.graph.deviceManagementSettingInstance)', roleScopeTagIds: 'Collection(Edm.String)' } },
  { kind: 'action', name: 'updateSettings', bindingType: 'deviceManagementIntent', parameters: { settings: 'Collection(microsoft.graph.deviceManagementSettingInstance)' } },
  {
    kind: 'action',
    name: 'update',
    bindingType: 'policySet',
    parameters: {
      addedPolicySetItems: 'Collection(microsoft.graph.policySetItem)',
      updatedPolicySetItems: 'Collection(microsoft.graph.policySetItem)',
      deletedPolicySetItems: 'Collection(Edm.String)',
      assignments: 'Collection(microsoft.graph.policySetAssignment)',
    },
  },
  { kind: 'action', name: 'assign', bindingType: 'deviceManagementCompliancePolicy', parameters: { assignments: 'Collection(microsoft.graph.deviceManagementConfigurationPolicyAssignment)' } },
  { kind: 'action', name: 'assign', bindingType: 'deviceCustomAttributeShellScript', parameters: { deviceManagementScriptGroupAssignments: 'Collection(microsoft.graph.deviceManagementScriptGroupAssignment)', deviceManagementScriptAssignments: 'Collection(microsoft.graph.deviceManagementScriptAssignment)' } },
  { kind: 'action', name: 'assign', bindingType: 'intuneBrandingProfile', parameters: { assignments: 'Collection(microsoft.graph.intuneBrandingProfileAssignment)' } },
  { kind: 'action', name: 'updateDefinitionValues', bindingType: 'groupPolicyConfiguration', parameters: { added: 'Collection(microsoft.graph.groupPolicyDefinitionValue)', updated: 'Collection(microsoft.graph.groupPolicyDefinitionValue)', deletedIds: 'Collection(Edm.String)' } },
];

function parseArguments(argv) {
  const options = { repo: process.env.GRAPH_METADATA_REPO ?? DEFAULT_REPO, commit: 'HEAD', out: DEFAULT_OUT, check: false };
  for (let index = 0; index < argv.length; index += 1) {
    const value = argv[index];
    if (value === '--check') options.check = true;
    else if (value === '--commit') options.commit = argv[(index += 1)];
    else if (value === '--out') options.out = resolve(argv[(index += 1)]);
    else options.repo = resolve(value);
  }
  return options;
}

function gitShow(repo, commit, path) {
  return execFileSync('git', ['-C', repo, 'show', `${commit}:${path}`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

const qualify = (type) => type.replace(/\bgraph\./g, 'microsoft.graph.');
const shortName = (type) => type.replace(/^Collection\(/, '').replace(/\)$/, '').replace(/^microsoft\.graph\./, '');
const attribute = (tag, name) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];

/** The v1.0 CSDL's structured types (base, abstract, member types) and bound operations in the microsoft.graph schema. */
function parseCsdl(xml) {
  const start = xml.indexOf('<Schema Namespace="microsoft.graph"');
  const end = xml.indexOf('</Schema>', start);
  const schema = xml.slice(start, end);
  const types = new Map();
  const typePattern = /<(EntityType|ComplexType) ([^>]*?)(\/>|>([\s\S]*?)<\/\1>)/g;
  for (const match of schema.matchAll(typePattern)) {
    const [, kind, attributes, , body = ''] = match;
    const members = {};
    for (const member of body.matchAll(/<(Property|NavigationProperty) ([^>]*?)\/?>/g)) members[attribute(member[2], 'Name')] = qualify(attribute(member[2], 'Type') ?? '');
    types.set(attribute(attributes, 'Name'), {
      kind,
      baseType: attribute(attributes, 'BaseType') ? shortName(qualify(attribute(attributes, 'BaseType'))) : undefined,
      abstract: attribute(attributes, 'Abstract') === 'true',
      members,
    });
  }
  const operations = [];
  for (const match of schema.matchAll(/<(Action|Function) ([^>]*?)>([\s\S]*?)<\/\1>/g)) {
    const [, kind, attributes, body] = match;
    if (attribute(attributes, 'IsBound') !== 'true' || !USED_OPERATIONS.includes(attribute(attributes, 'Name'))) continue;
    const parameters = [...body.matchAll(/<Parameter ([^>]*?)\/>/g)].map((parameter) => [attribute(parameter[1], 'Name'), qualify(attribute(parameter[1], 'Type'))]);
    const [[, bindingType], ...rest] = parameters;
    if (bindingType.startsWith('Collection(')) continue;
    operations.push({ kind: kind.toLowerCase(), name: attribute(attributes, 'Name'), bindingType: shortName(bindingType), parameters: Object.fromEntries(rest) });
  }
  return { types, operations };
}

function sortObject(object) {
  return Object.fromEntries(Object.keys(object).sort().map((key) => [key, object[key]]));
}

function build(options) {
  const betaEntities = JSON.parse(gitShow(options.repo, options.commit, 'schemas/type-mappings/beta-entity-types.json'))['microsoft.graph'];
  const betaComplex = JSON.parse(gitShow(options.repo, options.commit, 'schemas/type-mappings/beta-complex-types.json'))['microsoft.graph'];
  const csdl = parseCsdl(gitShow(options.repo, options.commit, 'schemas/v1.0-Prod.csdl'));
  const commit = execFileSync('git', ['-C', options.repo, 'rev-parse', options.commit], { encoding: 'utf8' }).trim();

  for (const name of Object.keys(BETA_BASE_TYPES)) {
    if (!betaEntities[name]) throw new Error(`BETA_BASE_TYPES names '${name}', which the beta metadata does not have`);
  }
  const baseOf = (name) => BETA_BASE_TYPES[name] ?? csdl.types.get(name)?.baseType;
  const memberType = (owner, member) => BETA_MEMBER_TYPES[`${owner}/${member}`] ?? csdl.types.get(owner)?.members[member] ?? null;

  // Every beta entity type whose base chain reaches a root (roots included).
  const rootSet = new Set(ROOT_ENTITY_TYPES);
  const reachesRoot = (name, mappings) => {
    for (let current = name; current; current = baseOf(current)) {
      if (rootSet.has(current)) return true;
      if (!mappings[current]) return false;
    }
    return false;
  };
  const entityNames = Object.keys(betaEntities).filter((name) => reachesRoot(name, betaEntities)).sort();
  for (const root of ROOT_ENTITY_TYPES) if (!betaEntities[root]) throw new Error(`root entity type '${root}' is missing from the beta metadata`);

  const chainOf = (name, mappings) => {
    const chain = [];
    for (let current = name; current && current !== 'entity' && mappings[current]; current = baseOf(current)) chain.unshift(current);
    return chain;
  };

  const entityTypes = {};
  const complexNeeded = new Set(ROOT_COMPLEX_TYPES);
  for (const name of entityNames) {
    const properties = { id: 'Edm.String' };
    const navigationProperties = {};
    for (const owner of chainOf(name, betaEntities)) {
      for (const property of betaEntities[owner].properties) properties[property] = memberType(owner, property);
      for (const navigation of betaEntities[owner].navigationProperties) navigationProperties[navigation] = memberType(owner, navigation);
    }
    for (const type of Object.values(properties)) if (type && type.includes('microsoft.graph.')) complexNeeded.add(shortName(type));
    const chain = new Set(chainOf(name, betaEntities));
    const operations = {};
    for (const operation of [...csdl.operations, ...BETA_OPERATIONS]) {
      if (!chain.has(operation.bindingType)) continue;
      const known = operations[operation.name];
      // The most derived binding wins (targetApps on targetedManagedAppProtection adds appGroupType).
      if (!known || [...chain].indexOf(operation.bindingType) > [...chain].indexOf(known.boundTo)) {
        operations[operation.name] = { kind: operation.kind, boundTo: operation.bindingType, parameters: sortObject(operation.parameters) };
      }
    }
    entityTypes[name] = {
      baseType: baseOf(name) ?? null,
      abstract: csdl.types.get(name)?.abstract ?? BETA_ABSTRACT.includes(name),
      properties: sortObject(properties),
      navigationProperties: sortObject(navigationProperties),
      operations: sortObject(operations),
    };
  }

  // Complex types used by those properties, with their derived types (typed @odata.type values in bodies).
  const complexTypes = {};
  const pending = [...complexNeeded];
  const derivedComplex = (base) => [...csdl.types.entries()].filter(([, type]) => type.kind === 'ComplexType' && type.baseType === base).map(([name]) => name);
  while (pending.length > 0) {
    const name = pending.pop();
    if (complexTypes[name] || !betaComplex[name]) continue;
    const chain = [];
    for (let current = name; current && betaComplex[current]; current = csdl.types.get(current)?.baseType) chain.unshift(current);
    const properties = {};
    for (const owner of chain) for (const property of betaComplex[owner].properties) properties[property] = memberType(owner, property);
    complexTypes[name] = { baseType: csdl.types.get(name)?.baseType ?? null, abstract: csdl.types.get(name)?.abstract ?? false, properties: sortObject(properties) };
    for (const type of Object.values(properties)) if (type && type.includes('microsoft.graph.')) pending.push(shortName(type));
    pending.push(...derivedComplex(name));
  }

  return {
    source: {
      repository: 'microsoftgraph/msgraph-metadata',
      commit,
      files: ['schemas/type-mappings/beta-entity-types.json', 'schemas/type-mappings/beta-complex-types.json', 'schemas/v1.0-Prod.csdl'],
      regenerate: 'npm run emulator:catalogue -- <msgraph-metadata checkout>',
    },
    entityTypes,
    complexTypes: sortObject(complexTypes),
  };
}

const options = parseArguments(process.argv.slice(2));
if (!existsSync(options.repo)) {
  console.error(`graph catalogue: no msgraph-metadata repository at ${options.repo} (pass its path, or set GRAPH_METADATA_REPO)`);
  process.exit(1);
}
if (options.check) {
  const committed = readFileSync(DEFAULT_OUT, 'utf8');
  const regenerated = `${JSON.stringify(build({ ...options, commit: JSON.parse(committed).source.commit }), null, 1)}\n`;
  if (regenerated !== committed) {
    console.error(`graph catalogue: ${DEFAULT_OUT} is not what this script generates from the commit it records; regenerate it`);
    process.exit(1);
  }
  console.log('graph catalogue: the committed catalogue is what this script generates from the commit it records');
  process.exit(0);
}
const catalogue = build(options);
writeFileSync(options.out, `${JSON.stringify(catalogue, null, 1)}\n`);
console.log(`graph catalogue: ${Object.keys(catalogue.entityTypes).length} entity types, ${Object.keys(catalogue.complexTypes).length} complex types from ${catalogue.source.commit} → ${options.out}`);

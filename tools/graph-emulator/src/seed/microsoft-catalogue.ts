import { seededRandom } from '../behaviour/random.js';
import type { GraphObject } from '../graph/tenant-store.js';
import { deterministicUuid } from './seed-ids.js';

/**
 * What Microsoft publishes in every tenant, identical across tenants (same ids, as in Graph): endpoint-security
 * templates (`deviceManagement/templates`) and ADMX definitions (`deviceManagement/groupPolicyDefinitions`) with
 * their presentations. Read-only to clients.
 */
export interface IntentTemplate {
  object: GraphObject;
  categories: Array<{ object: GraphObject; definitionIds: string[] }>;
  /** Default setting instances; an intent created from the template starts with them. */
  settings: GraphObject[];
}

export interface PolicyDefinition {
  object: GraphObject;
  presentations: GraphObject[];
}

const random = seededRandom(0x1a7e);
const id = () => deterministicUuid(random);

function booleanSetting(definitionId: string, value: boolean): GraphObject {
  return { '@odata.type': '#microsoft.graph.deviceManagementBooleanSettingInstance', id: id(), definitionId, valueJson: JSON.stringify(value), value };
}

function integerSetting(definitionId: string, value: number): GraphObject {
  return { '@odata.type': '#microsoft.graph.deviceManagementIntegerSettingInstance', id: id(), definitionId, valueJson: JSON.stringify(value), value };
}

function template(displayName: string, subtype: string, categories: Array<[string, GraphObject[]]>): IntentTemplate {
  const templateId = id();
  return {
    object: {
      '@odata.type': '#microsoft.graph.deviceManagementTemplate',
      id: templateId,
      displayName,
      description: `${displayName} (endpoint security)`,
      versionInfo: '2106',
      isDeprecated: false,
      intentCount: 0,
      templateType: 'endpointSecurity' + subtype,
      platformType: 'windows10AndLater',
      templateSubtype: subtype.charAt(0).toLowerCase() + subtype.slice(1),
      publishedDateTime: '2021-06-01T00:00:00Z',
    },
    categories: categories.map(([name, settings]) => ({
      object: { id: id(), displayName: name, hasRequiredSetting: false },
      definitionIds: settings.map((setting) => String(setting.definitionId)),
    })),
    settings: categories.flatMap(([, settings]) => settings),
  };
}

const prefix = 'deviceConfiguration--';
export const INTENT_TEMPLATES: IntentTemplate[] = [
  template('Microsoft Defender Antivirus', 'Antivirus', [
    ['Cloud protection', [booleanSetting(`${prefix}windows10EndpointProtectionConfiguration_defenderCloudBlockLevel`, true), integerSetting(`${prefix}windows10EndpointProtectionConfiguration_defenderCloudExtendedTimeout`, 10)]],
    ['Real-time protection', [booleanSetting(`${prefix}windows10EndpointProtectionConfiguration_defenderRealTimeMonitoring`, true), booleanSetting(`${prefix}windows10EndpointProtectionConfiguration_defenderBehaviorMonitoring`, true)]],
  ]),
  template('Microsoft Defender Firewall', 'Firewall', [
    ['Global', [booleanSetting(`${prefix}windows10EndpointProtectionConfiguration_firewallBlockStatefulFTP`, true)]],
    ['Domain profile', [booleanSetting(`${prefix}windows10EndpointProtectionConfiguration_firewallProfileDomain_firewallEnabled`, true), booleanSetting(`${prefix}windows10EndpointProtectionConfiguration_firewallProfileDomain_inboundNotificationsBlocked`, false)]],
  ]),
  template('BitLocker', 'DiskEncryption', [
    ['BitLocker - Base settings', [booleanSetting(`${prefix}windows10EndpointProtectionConfiguration_bitLockerEncryptDevice`, true), integerSetting(`${prefix}windows10EndpointProtectionConfiguration_bitLockerRecoveryPasswordRotation`, 1)]],
  ]),
];

function textPresentation(label: string): GraphObject {
  return { '@odata.type': '#microsoft.graph.groupPolicyPresentationTextBox', id: id(), label, required: false, maxLength: 1023, defaultValue: '', lastModifiedDateTime: '2023-03-01T00:00:00Z' };
}

function checkBoxPresentation(label: string): GraphObject {
  return { '@odata.type': '#microsoft.graph.groupPolicyPresentationCheckBox', id: id(), label, defaultChecked: false, lastModifiedDateTime: '2023-03-01T00:00:00Z' };
}

function definition(displayName: string, categoryPath: string, classType: 'user' | 'machine', presentations: GraphObject[]): PolicyDefinition {
  return {
    object: {
      id: id(),
      displayName,
      explainText: `${displayName}.`,
      categoryPath,
      classType,
      policyType: 'admxBacked',
      supportedOn: 'At least Windows 10',
      hasRelatedDefinitions: false,
      version: '1.0',
      lastModifiedDateTime: '2023-03-01T00:00:00Z',
      minDeviceCspVersion: '',
      minUserCspVersion: '',
      groupPolicyCategoryId: id(),
    },
    presentations,
  };
}

export const GROUP_POLICY_DEFINITIONS: PolicyDefinition[] = [
  definition('Configure the home page URL', '\\Microsoft Edge\\Startup, home page and new tab page', 'machine', [textPresentation('Home page URL')]),
  definition('Allow Microsoft Edge to start and load the Start and New Tab page at Windows startup', '\\Microsoft Edge', 'machine', []),
  definition('Block third party cookies', '\\Microsoft Edge\\Content settings', 'user', []),
  definition('Set default search provider URL', '\\Microsoft Edge\\Default search provider', 'machine', [textPresentation('Default search provider URL'), checkBoxPresentation('Enable suggestions')]),
  definition('Disable the Office Start screen', '\\Microsoft Office 2016\\Miscellaneous', 'user', []),
  definition('Default file location', '\\Microsoft Word 2016\\Word Options\\Advanced\\File Locations', 'user', [textPresentation('Default file location')]),
  definition('Turn off Windows Defender SmartScreen', '\\Windows Components\\File Explorer', 'machine', [checkBoxPresentation('Warn and prevent bypass')]),
  definition('Prevent access to the command prompt', '\\System', 'user', [checkBoxPresentation('Disable the command prompt script processing also')]),
];

export function templateById(templateId: string): IntentTemplate | undefined {
  return INTENT_TEMPLATES.find((candidate) => candidate.object.id === templateId);
}

export function definitionById(definitionId: string): PolicyDefinition | undefined {
  return GROUP_POLICY_DEFINITIONS.find((candidate) => candidate.object.id === definitionId);
}

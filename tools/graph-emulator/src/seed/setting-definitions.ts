import type { GraphObject } from '../graph/tenant-store.js';

/**
 * Settings catalog setting definitions (`deviceManagement/configurationSettings`, Graph beta
 * `deviceManagementConfigurationSettingDefinition` and its derived types), identical in every tenant as
 * Microsoft's catalogue is: the definitions of every setting the seeded settings catalog policies use, and a
 * few of Microsoft's real Defender definitions for hand-made fixtures. Read-only to clients.
 */
const CATEGORY_ID = '0f2b0dd4-4c2a-4f5b-9a7d-7a1d7d7a0b01';
export const SEEDED_SETTING_AREAS = ['defender', 'browser', 'update', 'bitlocker', 'firewall'] as const;
/** Top-level settings a seeded policy draws from (`…_setting0` to `…_setting29`). */
export const SEEDED_SETTINGS_PER_AREA = 30;
/** Children of a seeded group collection (`…_child0` to `…_child3`), each a choice of three options. */
export const SEEDED_GROUP_CHILDREN = 4;

const AREA_LABELS: Record<(typeof SEEDED_SETTING_AREAS)[number], string> = {
  defender: 'Defender',
  browser: 'Browser',
  update: 'Windows Update',
  bitlocker: 'BitLocker',
  firewall: 'Firewall',
};

export const seededSettingDefinitionId = (area: string, index: number) => `device_vendor_msft_policy_config_${area}_setting${index}`;

/** Which seeded top-level settings are group collections (the rest are choices): fixed by the id, as in Microsoft's catalogue. */
export const isSeededGroupCollection = (index: number) => index % 5 < 2;

function base(id: string, type: string, displayName: string, extra: GraphObject): GraphObject {
  const name = id.split('_').pop() ?? id;
  return {
    '@odata.type': `#microsoft.graph.${type}`,
    id,
    name,
    displayName,
    description: `${displayName}.`,
    helpText: `${displayName}.`,
    baseUri: './Device/Vendor/MSFT/Policy',
    offsetUri: `/Config/${name}`,
    categoryId: CATEGORY_ID,
    rootDefinitionId: id,
    keywords: [],
    infoUrls: [],
    version: '1',
    visibility: 'settingsCatalog,template',
    accessTypes: 'add,copy,delete,get,replace',
    settingUsage: 'configuration',
    applicability: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationWindowsSettingApplicability', platform: 'windows10', technologies: 'mdm', description: null, deviceMode: 'none', configurationServiceProviderVersion: '5.0', maximumSupportedVersion: '', minimumSupportedVersion: '' },
    occurrence: { minDeviceOccurrence: 1, maxDeviceOccurrence: 1 },
    ...extra,
  };
}

function choice(id: string, displayName: string, options: string[], collection = false): GraphObject {
  return base(id, collection ? 'deviceManagementConfigurationChoiceSettingCollectionDefinition' : 'deviceManagementConfigurationChoiceSettingDefinition', displayName, {
    defaultOptionId: `${id}_0`,
    options: options.map((label, index) => ({
      itemId: `${id}_${index}`,
      name: label.replace(/\W+/g, ''),
      displayName: label,
      description: null,
      helpText: null,
      optionValue: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationIntegerSettingValue', settingValueTemplateReference: null, value: index },
      dependentOn: [],
      dependedOnBy: [],
    })),
  });
}

function simple(id: string, displayName: string, valueType: 'integer' | 'string', collection = false): GraphObject {
  return base(id, collection ? 'deviceManagementConfigurationSimpleSettingCollectionDefinition' : 'deviceManagementConfigurationSimpleSettingDefinition', displayName, {
    valueDefinition: { '@odata.type': `#microsoft.graph.deviceManagementConfiguration${valueType === 'integer' ? 'Integer' : 'String'}SettingValueDefinition` },
    defaultValue: null,
    dependentOn: [],
    dependedOnBy: [],
    ...(collection ? { maximumCount: 600, minimumCount: 0 } : {}),
  });
}

function groupCollection(id: string, displayName: string, childIds: string[]): GraphObject {
  return base(id, 'deviceManagementConfigurationSettingGroupCollectionDefinition', displayName, { childIds, dependentOn: [], dependedOnBy: [], maximumCount: 100, minimumCount: 0 });
}

function seededDefinitions(): GraphObject[] {
  const definitions: GraphObject[] = [];
  for (const area of SEEDED_SETTING_AREAS) {
    for (let index = 0; index < SEEDED_SETTINGS_PER_AREA; index += 1) {
      const id = seededSettingDefinitionId(area, index);
      if (!isSeededGroupCollection(index)) {
        definitions.push(choice(id, `${AREA_LABELS[area]} setting ${index}`, ['Disabled', 'Enabled']));
        continue;
      }
      const childIds = Array.from({ length: SEEDED_GROUP_CHILDREN }, (_, child) => `${id}_child${child}`);
      definitions.push(groupCollection(id, `${AREA_LABELS[area]} rule set ${index}`, childIds));
      childIds.forEach((childId, child) => definitions.push(choice(childId, `${AREA_LABELS[area]} rule ${index} option ${child}`, ['Audit', 'Block', 'Allow'])));
    }
  }
  return definitions;
}

/** A choice whose options carry Microsoft's own item ids (`{id}_{suffix}`), as the Linux and firewall settings do. */
function namedChoice(id: string, displayName: string, options: Array<[suffix: string, label: string]>): GraphObject {
  const definition = choice(id, displayName, options.map(([, label]) => label));
  (definition.options as GraphObject[]).forEach((option, index) => (option.itemId = `${id}_${options[index][0]}`));
  definition.defaultOptionId = `${id}_${options[0][0]}`;
  return definition;
}

/** Microsoft's Policy CSP definitions (names and options as the settings catalog shows them). */
const DEFENDER = 'device_vendor_msft_policy_config_defender_';
const MICROSOFT_DEFINITIONS: GraphObject[] = [
  choice('device_vendor_msft_policy_config_experience_allowcortana', 'Allow Cortana', ['Block', 'Allow']),
  choice(`${DEFENDER}allowrealtimemonitoring`, 'Allow Realtime Monitoring', ['Not allowed. Turns off the real-time monitoring service.', 'Allowed. Turns on and runs the real-time monitoring service.']),
  choice(`${DEFENDER}allowcloudprotection`, 'Allow Cloud Protection', ['Not allowed. Turns off Cloud Protection.', 'Allowed. Turns on Cloud Protection.']),
  simple(`${DEFENDER}cloudextendedtimeout`, 'Cloud Extended Timeout', 'integer'),
  simple(`${DEFENDER}excludedpaths`, 'Excluded Paths', 'string', true),
  simple(`${DEFENDER}excludedextensions`, 'Excluded Extensions', 'string', true),
  // Linux compliance (settings catalog compliance policies) and a firewall rule's reusable setting.
  namedChoice('linux_deviceencryption_required', 'Require Device Encryption', [['false', 'False'], ['true', 'True']]),
  simple('vendor_msft_firewall_mdmstore_firewallrules_{firewallrulename}_remoteaddressdynamickeywords', 'Remote Address Dynamic Keywords', 'string', true),
];

export const SETTING_DEFINITIONS: GraphObject[] = [...seededDefinitions(), ...MICROSOFT_DEFINITIONS];

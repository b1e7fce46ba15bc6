import type { CapturedReferences, DocumentedBackupItem, SettingDefinitionView } from '@policyvault/contracts';

type GraphObject = Record<string, unknown>;

/** One line of a policy's settings: `depth` nests children under their parent (group entries, presentations). */
export interface SettingRow {
  name: string;
  value: string;
  depth: number;
}

export interface AssignmentRow {
  intent: 'Include' | 'Exclude';
  target: string;
  filter: string;
}

/** What a report shows of one policy, every value already text (escaping is the writer's). */
export interface PolicyDocument {
  id: string;
  displayName: string;
  basics: Array<{ name: string; value: string }>;
  settings: SettingRow[];
  assignments: AssignmentRow[];
}

/** How a secret value reads in a report: never its value (the store does not hold it in the clear either). */
export const SECRET_VALUE_TEXT = 'secret value';
export const NOT_CONFIGURED_TEXT = 'Not configured';
export const EMPTY_TEXT = '(empty)';
export const NONE_TEXT = '(none)';
const NO_TEMPLATE = '00000000-0000-0000-0000-000000000000';

/** Keys shown among the basics, or Graph's bookkeeping: not settings. */
const NOT_SETTINGS = new Set([
  '@odata.type',
  '@odata.context',
  'id',
  'createdDateTime',
  'lastModifiedDateTime',
  'version',
  'displayName',
  'name',
  'description',
  'roleScopeTagIds',
  'roleScopeTags',
  'assignments',
  'supportsScopeTags',
  'settingCount',
  'isAssigned',
  'creationSource',
  'priorityMetaData',
  'platforms',
  'technologies',
]);

const isPlainObject = (value: unknown): value is GraphObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const isSecret = (value: unknown): boolean => isPlainObject(value) && value.secret === true && Object.keys(value).length === 1;

const ACRONYMS: Record<string, string> = { os: 'OS', id: 'ID', ids: 'IDs', url: 'URL', urls: 'URLs', uri: 'URI', vpn: 'VPN', pin: 'PIN', usb: 'USB', ip: 'IP', dns: 'DNS', oma: 'OMA', uac: 'UAC', mdm: 'MDM', tpm: 'TPM' };

/** `passwordMinimumLength` → `Password minimum length`, `osMinimumVersion` → `OS minimum version`. */
export function humanize(key: string): string {
  const words = key
    .replace(/^#?microsoft\.graph\./, '')
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return words
    .map((word, index) => {
      const acronym = ACRONYMS[word.toLowerCase()];
      if (acronym) return acronym;
      if (/^[A-Z0-9]{2,}$/.test(word)) return word;
      return index === 0 ? word.charAt(0).toUpperCase() + word.slice(1) : word.charAt(0).toLowerCase() + word.slice(1);
    })
    .join(' ');
}

/** A scalar as a report shows it. */
export function formatScalar(value: unknown): string {
  if (value === null || value === undefined) return NOT_CONFIGURED_TEXT;
  if (isSecret(value)) return SECRET_VALUE_TEXT;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string') return value === '' ? EMPTY_TEXT : value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

const isScalar = (value: unknown) => value === null || value === undefined || typeof value !== 'object' || isSecret(value);

/** Any property as rows: scalars one row, lists of scalars one row, objects and lists of objects a heading row and their members below. */
function genericRows(name: string, value: unknown, depth: number, rows: SettingRow[]): void {
  if (isScalar(value)) {
    rows.push({ name, value: formatScalar(value), depth });
    return;
  }
  if (Array.isArray(value)) {
    if (value.every(isScalar)) {
      rows.push({ name, value: value.length === 0 ? NONE_TEXT : value.map(formatScalar).join(', '), depth });
      return;
    }
    rows.push({ name, value: `${value.length} ${value.length === 1 ? 'entry' : 'entries'}`, depth });
    value.forEach((entry, index) => genericRows(`${name} #${index + 1}`, entry, depth + 1, rows));
    return;
  }
  const object = value as GraphObject;
  const type = typeof object['@odata.type'] === 'string' ? humanize(String(object['@odata.type'])) : '';
  rows.push({ name, value: type, depth });
  for (const [key, child] of Object.entries(object)) if (key !== '@odata.type' && !key.includes('@odata.')) genericRows(humanize(key), child, depth + 1, rows);
}

/** Settings catalog instances with their definitions' names and their choices' option names. */
function catalogRows(instance: GraphObject, definitions: Record<string, SettingDefinitionView>, depth: number, rows: SettingRow[]): void {
  const id = String(instance.settingDefinitionId ?? '');
  const definition = definitions[id];
  const name = definition?.displayName || definition?.name || id;
  const optionName = (value: unknown) => {
    const option = definition?.options.find((candidate) => candidate.itemId === value);
    return option?.displayName || option?.name || formatScalar(value);
  };
  const simpleValue = (value: unknown) => {
    if (!isPlainObject(value)) return formatScalar(value);
    if (String(value['@odata.type'] ?? '').endsWith('SecretSettingValue') || isSecret(value.value)) return SECRET_VALUE_TEXT;
    return formatScalar(value.value);
  };
  const children = (list: unknown, childDepth: number) => {
    if (Array.isArray(list)) for (const child of list) if (isPlainObject(child)) catalogRows(child, definitions, childDepth, rows);
  };
  if (isPlainObject(instance.choiceSettingValue)) {
    rows.push({ name, value: optionName(instance.choiceSettingValue.value), depth });
    children(instance.choiceSettingValue.children, depth + 1);
  } else if (Array.isArray(instance.choiceSettingCollectionValue)) {
    const values = instance.choiceSettingCollectionValue.filter(isPlainObject);
    rows.push({ name, value: values.length === 0 ? NONE_TEXT : values.map((value) => optionName(value.value)).join(', '), depth });
    for (const value of values) children(value.children, depth + 1);
  } else if (instance.simpleSettingValue !== undefined) {
    rows.push({ name, value: simpleValue(instance.simpleSettingValue), depth });
  } else if (Array.isArray(instance.simpleSettingCollectionValue)) {
    const values = instance.simpleSettingCollectionValue;
    rows.push({ name, value: values.length === 0 ? NONE_TEXT : values.map(simpleValue).join(', '), depth });
  } else if (Array.isArray(instance.groupSettingCollectionValue)) {
    const entries = instance.groupSettingCollectionValue.filter(isPlainObject);
    rows.push({ name, value: `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}`, depth });
    entries.forEach((entry, index) => {
      rows.push({ name: `Entry ${index + 1}`, value: '', depth: depth + 1 });
      children(entry.children, depth + 2);
    });
  } else if (isPlainObject(instance.groupSettingValue)) {
    rows.push({ name, value: '', depth });
    children(instance.groupSettingValue.children, depth + 1);
  } else {
    rows.push({ name, value: NOT_CONFIGURED_TEXT, depth });
  }
}

/** Endpoint security (intent) settings: `definitionId` and `valueJson`. */
function intentRows(settings: GraphObject[], rows: SettingRow[]): void {
  for (const setting of settings) {
    const definitionId = String(setting.definitionId ?? '');
    const name = humanize(definitionId.split('_').pop() ?? definitionId);
    let value: unknown = setting.value;
    if (typeof setting.valueJson === 'string') {
      try {
        value = JSON.parse(setting.valueJson);
      } catch {
        value = setting.valueJson;
      }
    }
    genericRows(name, value, 0, rows);
  }
}

/** Administrative templates: each definition's name and state, its presentations' labels and values below. */
function definitionValueRows(values: GraphObject[], rows: SettingRow[]): void {
  for (const value of values) {
    const definition = isPlainObject(value.definition) ? value.definition : {};
    rows.push({ name: String(definition.displayName ?? value.id), value: value.enabled === false ? 'Disabled' : 'Enabled', depth: 0 });
    if (definition.categoryPath) rows.push({ name: 'Category', value: `${String(definition.categoryPath)}${definition.classType ? ` (${String(definition.classType)})` : ''}`, depth: 1 });
    const presentations = Array.isArray(value.presentationValues) ? value.presentationValues.filter(isPlainObject) : [];
    for (const presentationValue of presentations) {
      const presentation = isPlainObject(presentationValue.presentation) ? presentationValue.presentation : {};
      const label = String(presentation.label ?? humanize(String(presentationValue['@odata.type'] ?? 'value')));
      if ('values' in presentationValue) {
        const entries = Array.isArray(presentationValue.values) ? presentationValue.values : [];
        const texts = entries.map((entry) => (isPlainObject(entry) ? [entry.name, entry.value].filter((part) => part !== undefined && part !== null && part !== '').map(formatScalar).join(' = ') : formatScalar(entry)));
        rows.push({ name: label, value: texts.length === 0 ? NONE_TEXT : texts.join(', '), depth: 1 });
      } else {
        rows.push({ name: label, value: formatScalar(presentationValue.value), depth: 1 });
      }
    }
  }
}

/** Custom profiles: each OMA-URI setting by name, its URI below; an encrypted value is only ever "secret value". */
function omaRows(settings: GraphObject[], rows: SettingRow[]): void {
  for (const setting of settings) {
    const secret = isSecret(setting.value) || setting.isEncrypted === true;
    rows.push({ name: String(setting.displayName ?? setting.omaUri ?? 'OMA-URI setting'), value: secret ? SECRET_VALUE_TEXT : formatScalar(setting.value), depth: 0 });
    rows.push({ name: 'OMA-URI', value: formatScalar(setting.omaUri), depth: 1 });
    if (setting.description) rows.push({ name: 'Description', value: formatScalar(setting.description), depth: 1 });
    if (setting['@odata.type']) rows.push({ name: 'Data type', value: humanize(String(setting['@odata.type']).replace(/^#microsoft\.graph\.omaSetting/, '')), depth: 1 });
  }
}

/** Compliance actions for noncompliance: what happens, when, and whom it tells. */
function scheduledActionRows(rules: GraphObject[], references: CapturedReferences, rows: SettingRow[]): void {
  for (const rule of rules) {
    const actions = Array.isArray(rule.scheduledActionConfigurations) ? rule.scheduledActionConfigurations.filter(isPlainObject) : [];
    for (const action of actions) {
      const hours = Number(action.gracePeriodHours ?? 0);
      rows.push({ name: `Action for noncompliance: ${humanize(String(action.actionType ?? 'action'))}`, value: hours === 0 ? 'Immediately' : `After ${hours} hours`, depth: 0 });
      const template = typeof action.notificationTemplateId === 'string' && action.notificationTemplateId !== '' && action.notificationTemplateId !== NO_TEMPLATE ? action.notificationTemplateId : null;
      if (template) rows.push({ name: 'Message template', value: references.notificationTemplate?.[template] ?? template, depth: 1 });
      const cc = Array.isArray(action.notificationMessageCCList) ? action.notificationMessageCCList : [];
      if (cc.length > 0) rows.push({ name: 'Additional recipients', value: cc.map((id) => references.group?.[String(id)] ?? String(id)).join(', '), depth: 1 });
    }
  }
}

function assignmentRows(assignments: unknown, references: CapturedReferences): AssignmentRow[] {
  if (!Array.isArray(assignments)) return [];
  return assignments.filter(isPlainObject).map((assignment) => {
    const target = isPlainObject(assignment.target) ? assignment.target : {};
    const type = String(target['@odata.type'] ?? '').replace(/^#microsoft\.graph\./, '');
    const groupId = typeof target.groupId === 'string' ? target.groupId : null;
    const group = groupId ? `Group: ${references.group?.[groupId] ?? `${groupId} (name not captured)`}` : null;
    const described: Record<string, string> = { allDevicesAssignmentTarget: 'All devices', allLicensedUsersAssignmentTarget: 'All users' };
    const filterId = typeof target.deviceAndAppManagementAssignmentFilterId === 'string' ? target.deviceAndAppManagementAssignmentFilterId : null;
    const filterType = String(target.deviceAndAppManagementAssignmentFilterType ?? 'none');
    return {
      intent: type === 'exclusionGroupAssignmentTarget' ? 'Exclude' : 'Include',
      target: group ?? described[type] ?? humanize(type || 'target'),
      filter: filterId && filterType !== 'none' ? `${references.filter?.[filterId] ?? filterId} (${filterType})` : NONE_TEXT,
    };
  });
}

/** A stored item as the report shows it: basics, every setting (names resolved), assignments. */
export function documentPolicy(item: DocumentedBackupItem, definitions: Record<string, SettingDefinitionView>): PolicyDocument {
  const snapshot = item.snapshot ?? {};
  const references = item.references ?? {};
  const basics: Array<{ name: string; value: string }> = [{ name: 'Type', value: item.policyTypeLabel }];
  if (item.odataType) basics.push({ name: 'Profile type', value: humanize(item.odataType) });
  if (typeof snapshot.description === 'string' && snapshot.description !== '') basics.push({ name: 'Description', value: snapshot.description });
  if (snapshot.platforms !== undefined) basics.push({ name: 'Platforms', value: formatScalar(snapshot.platforms) });
  if (snapshot.technologies !== undefined) basics.push({ name: 'Technologies', value: formatScalar(snapshot.technologies) });
  const tagIds = [snapshot.roleScopeTagIds, snapshot.roleScopeTags].find(Array.isArray) as unknown[] | undefined;
  if (tagIds) basics.push({ name: 'Scope tags', value: tagIds.length === 0 ? NONE_TEXT : tagIds.map((id) => (String(id) === '0' ? 'Default' : (references.scopeTag?.[String(id)] ?? String(id)))).join(', ') });
  if (typeof snapshot.lastModifiedDateTime === 'string') basics.push({ name: 'Last modified in Intune', value: snapshot.lastModifiedDateTime });
  basics.push({ name: 'Captured', value: item.capturedAt });
  if (item.isFoundation) basics.push({ name: 'Foundation object', value: 'Yes' });
  basics.push({ name: 'Content hash', value: item.contentHash });

  const settings: SettingRow[] = [];
  for (const [key, value] of Object.entries(snapshot)) {
    if (NOT_SETTINGS.has(key) || key.includes('@odata.')) continue;
    const list = Array.isArray(value) ? value.filter(isPlainObject) : null;
    if (key === 'settings' && list && list.some((setting) => isPlainObject(setting.settingInstance))) {
      for (const setting of list) if (isPlainObject(setting.settingInstance)) catalogRows(setting.settingInstance, definitions, 0, settings);
    } else if (key === 'settings' && list && list.some((setting) => typeof setting.definitionId === 'string')) intentRows(list, settings);
    else if (key === 'definitionValues' && list) definitionValueRows(list, settings);
    else if (key === 'omaSettings' && list) omaRows(list, settings);
    else if (key === 'scheduledActionsForRule' && list) scheduledActionRows(list, references, settings);
    else genericRows(humanize(key), value, 0, settings);
  }
  return { id: item.id, displayName: item.displayName, basics, settings, assignments: assignmentRows(snapshot.assignments, references) };
}

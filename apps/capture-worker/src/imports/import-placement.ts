// Where an imported file's objects belong: which registry policy type, under which Graph id and name. The
// tools' own layouts decide first (PolicyVault's manifest, IntuneManagement's and IntuneCD's folders), then
// what the object says about itself (Graph Explorer's `@odata.context`, `@odata.type`), then its shape
// (settings catalog policies carry no `@odata.type`).
import { POLICY_TYPE_CONTRACTS, isSupportedPolicyType } from '@policyvault/graph';

type GraphObject = Record<string, unknown>;

const isPlainObject = (value: unknown): value is GraphObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** One row of a PolicyVault export's `manifest.json` (apps/gateway backups/backup-set-export.service.ts). */
export interface ManifestFile {
  path: string;
  policyType: string;
  graphId: string;
  displayName: string;
  isFoundation: boolean;
}

/** Reads a PolicyVault export manifest's files by path; undefined when the value is not one. */
export function manifestFiles(value: unknown): Map<string, ManifestFile> | undefined {
  if (!isPlainObject(value) || value.format !== 'policyvault.backup-set-export' || !Array.isArray(value.files)) return undefined;
  const files = new Map<string, ManifestFile>();
  for (const file of value.files) {
    if (!isPlainObject(file) || typeof file.path !== 'string' || typeof file.policyType !== 'string' || typeof file.graphId !== 'string') continue;
    files.set(file.path, {
      path: file.path,
      policyType: file.policyType,
      graphId: file.graphId,
      displayName: typeof file.displayName === 'string' ? file.displayName : '',
      isFoundation: file.isFoundation === true,
    });
  }
  return files;
}

/** The policy type of a folder, or null for a folder of objects PolicyVault does not support. */
type FolderType = string | null;

/**
 * IntuneManagement: one folder per object view (the ids of its views; also what PolicyVault's export writes,
 * apps/gateway backups/export-layout.ts), matched as one path segment.
 */
const INTUNE_MANAGEMENT_FOLDERS: Record<string, FolderType> = {
  deviceconfiguration: 'deviceConfiguration',
  updatepolicies: 'deviceConfiguration',
  settingscatalog: 'settingsCatalogPolicy',
  compliancepolicies: 'compliancePolicy',
  administrativetemplates: 'administrativeTemplate',
  endpointsecurity: 'endpointSecurityIntent',
  powershellscripts: 'windowsPlatformScript',
  macscripts: 'macOSPlatformScript',
  devicehealthscripts: 'remediationScript',
  featureupdates: 'windowsFeatureUpdateProfile',
  qualityupdates: 'windowsQualityUpdateProfile',
  driverupdateprofiles: 'windowsDriverUpdateProfile',
  enrollmentrestrictions: 'enrollmentConfiguration',
  enrollmentstatuspage: 'enrollmentConfiguration',
  comanagementsettings: 'enrollmentConfiguration',
  autopilot: 'autopilotProfile',
  assignmentfilters: 'assignmentFilter',
  scopetags: 'scopeTag',
  appprotection: 'appProtectionPolicy',
  appconfigurationmanageddevice: 'appConfigurationPolicy',
  androidoemconfig: 'appConfigurationPolicy',
  compliancepoliciesv2: null,
  appconfigurationmanagedapp: null,
  applications: null,
  conditionalaccess: null,
  namedlocations: null,
  roledefinitions: null,
  notifications: null,
  termsandconditions: null,
  policysets: null,
};

/** IntuneCD: its backup folders (IntuneCD src/IntuneCD/backup/Intune/*.py), matched as a run of path segments, the longest first. */
const INTUNECD_FOLDERS: Array<[string, FolderType]> = ([
  ['Device Configurations', 'deviceConfiguration'],
  ['Settings Catalog', 'settingsCatalogPolicy'],
  ['Compliance Policies/Policies', 'compliancePolicy'],
  ['Compliance Policies/Message Templates', null],
  ['Compliance Policies/Scripts', null],
  ['Group Policy Configurations', 'administrativeTemplate'],
  ['Management Intents', 'endpointSecurityIntent'],
  ['Scripts/Powershell', 'windowsPlatformScript'],
  ['Scripts/Shell', 'macOSPlatformScript'],
  ['Proactive Remediations', 'remediationScript'],
  ['Feature Updates', 'windowsFeatureUpdateProfile'],
  ['Quality Updates', 'windowsQualityUpdateProfile'],
  ['Driver Updates', 'windowsDriverUpdateProfile'],
  ['Enrollment Configurations', 'enrollmentConfiguration'],
  ['Enrollment Profiles/Windows/ESP', 'enrollmentConfiguration'],
  ['Enrollment Profiles/Windows', 'autopilotProfile'],
  ['Enrollment Profiles/Apple', null],
  ['Filters', 'assignmentFilter'],
  ['Scope Tags', 'scopeTag'],
  ['App Protection', 'appProtectionPolicy'],
  ['App Configuration', 'appConfigurationPolicy'],
  ['Applications', null],
  ['Roles', null],
  ['Conditional Access', null],
  ['Device Categories', null],
  ['Custom Attributes', null],
  ['Apple VPP Tokens', null],
  ['Apple Push Notification', null],
  ['Managed Google Play', null],
  ['Partner Connections', null],
  ['Device Management Settings', null],
  ['Autopilot Devices', null],
  ['Activation Lock Bypass Codes', null],
  ['Entra', null],
] satisfies Array<[string, FolderType]>).sort(([a], [b]) => b.split('/').length - a.split('/').length);

/** `@odata.type` names of whole types (the registry's base entity types and the distinct ones). */
const TYPE_BY_ODATA_TYPE: Record<string, string> = {
  deviceManagementConfigurationPolicy: 'settingsCatalogPolicy',
  groupPolicyConfiguration: 'administrativeTemplate',
  deviceManagementIntent: 'endpointSecurityIntent',
  deviceManagementScript: 'windowsPlatformScript',
  deviceShellScript: 'macOSPlatformScript',
  deviceHealthScript: 'remediationScript',
  windowsFeatureUpdateProfile: 'windowsFeatureUpdateProfile',
  windowsQualityUpdateProfile: 'windowsQualityUpdateProfile',
  windowsDriverUpdateProfile: 'windowsDriverUpdateProfile',
  deviceAndAppManagementAssignmentFilter: 'assignmentFilter',
  roleScopeTag: 'scopeTag',
  deviceComanagementAuthorityConfiguration: 'enrollmentConfiguration',
  windows10EnrollmentCompletionPageConfiguration: 'enrollmentConfiguration',
};

/**
 * A derived `@odata.type` of a type whose derived types share a suffix (Graph's metadata: every
 * deviceConfiguration kind is `…Configuration`, compliance `…CompliancePolicy`, and so on); the first match wins.
 */
const TYPE_BY_ODATA_SUFFIX: Array<[RegExp, string]> = [
  [/CompliancePolicy$/, 'compliancePolicy'],
  [/(ManagedAppProtection|InformationProtectionPolicy|ManagedAppConfiguration)$/, 'appProtectionPolicy'],
  [/(MobileAppConfiguration|ManagedStoreAppConfiguration)$/, 'appConfigurationPolicy'],
  [/AutopilotDeploymentProfile$/, 'autopilotProfile'],
  [/(EnrollmentConfiguration|EnrollmentLimitConfiguration|EnrollmentPlatformRestrictionsConfiguration|EnrollmentPlatformRestrictionConfiguration|HelloForBusinessSettings)$/, 'enrollmentConfiguration'],
  [/Configuration$/, 'deviceConfiguration'],
];

function typeOfODataType(odataType: unknown): string | undefined {
  if (typeof odataType !== 'string') return undefined;
  const name = odataType.replace(/^#?microsoft\.graph\./, '');
  return TYPE_BY_ODATA_TYPE[name] ?? TYPE_BY_ODATA_SUFFIX.find(([pattern]) => pattern.test(name))?.[1];
}

/** Graph Explorer's `@odata.context` (`…/$metadata#deviceManagement/deviceConfigurations/$entity`) → the registry type of that collection. */
function typeOfODataContext(context: unknown): string | undefined {
  if (typeof context !== 'string') return undefined;
  const fragment = context.split('#')[1];
  if (!fragment) return undefined;
  const collection = `/${fragment.replace(/\/\$entity$/, '').replace(/\([^)]*\)/g, '').split('/').slice(0, 2).join('/')}`.toLowerCase();
  for (const contract of Object.values(POLICY_TYPE_CONTRACTS)) {
    const paths = [contract.collectionPath, ...Object.values(contract.createPathByODataType ?? {})];
    if (paths.some((path) => path.toLowerCase() === collection)) return contract.type;
  }
  return undefined;
}

/** Settings catalog policies (and other shapes without `@odata.type`) recognised by their properties. */
function typeOfShape(object: GraphObject): string | undefined {
  if (typeof object.name === 'string' && Array.isArray(object.settings) && ('technologies' in object || 'platforms' in object)) return 'settingsCatalogPolicy';
  if (Array.isArray(object.definitionValues)) return 'administrativeTemplate';
  if ('detectionScriptContent' in object || 'remediationScriptContent' in object) return 'remediationScript';
  if (typeof object.rule === 'string' && 'platform' in object && 'displayName' in object) return 'assignmentFilter';
  if (typeof object.templateId === 'string' && Array.isArray(object.settings)) return 'endpointSecurityIntent';
  return undefined;
}

function typeOfFolder(directory: string): { found: true; type: FolderType } | { found: false } {
  const segments = directory.split('/').filter((segment) => segment !== '');
  // The innermost IntuneManagement folder (an export may sit in a folder of its own).
  for (let index = segments.length - 1; index >= 0; index -= 1) {
    const type = INTUNE_MANAGEMENT_FOLDERS[segments[index].toLowerCase()];
    if (type !== undefined) return { found: true, type };
  }
  const padded = `/${segments.join('/').toLowerCase()}/`;
  for (const [folder, type] of INTUNECD_FOLDERS) {
    if (padded.includes(`/${folder.toLowerCase()}/`)) return { found: true, type };
  }
  return { found: false };
}

/** One object of an imported file, placed. */
export interface PlacedObject {
  policyType: string;
  /** The object's Graph id when the file holds one (IntuneCD leaves ids out). */
  graphId: string | undefined;
  displayName: string;
  isFoundation: boolean;
  object: GraphObject;
  /** Position in a Graph Explorer collection file (`value[i]`), else undefined. */
  index: number | undefined;
}

export type Placement =
  | { kind: 'placed'; placed: PlacedObject }
  | { kind: 'unsupported'; index: number | undefined; reason: string }
  | { kind: 'unplaced'; index: number | undefined; reason: string };

const fileStem = (path: string) => (path.split('/').pop() ?? path).replace(/\.(json|ya?ml)$/i, '');

/** Places every object of one decoded file (a Graph Explorer collection holds many). */
export function placeFile(path: string, value: unknown, manifest: Map<string, ManifestFile> | undefined): Placement[] {
  const directory = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const listed = manifest?.get(path);
  if (listed) {
    if (!isPlainObject(value)) return [{ kind: 'unplaced', index: undefined, reason: 'The file does not hold a JSON object.' }];
    if (!isSupportedPolicyType(listed.policyType)) return [{ kind: 'unsupported', index: undefined, reason: 'The manifest names a policy type PolicyVault does not support.' }];
    return [{ kind: 'placed', placed: { policyType: listed.policyType, graphId: listed.graphId, displayName: listed.displayName || displayNameOf(value, path), isFoundation: listed.isFoundation, object: value, index: undefined } }];
  }
  if (isPlainObject(value) && Array.isArray(value.value) && Object.keys(value).every((key) => key === 'value' || key.startsWith('@odata.'))) {
    const contextType = typeOfODataContext(value['@odata.context']);
    return value.value.map((entry, index) => placeObject(path, directory, entry, index, contextType));
  }
  return [placeObject(path, directory, value, undefined, undefined)];
}

function displayNameOf(object: GraphObject, path: string): string {
  for (const key of ['displayName', 'name']) {
    if (typeof object[key] === 'string' && (object[key] as string).trim() !== '') return object[key] as string;
  }
  return fileStem(path);
}

function placeObject(path: string, directory: string, value: unknown, index: number | undefined, contextType: string | undefined): Placement {
  if (!isPlainObject(value)) return { kind: 'unplaced', index, reason: 'The file does not hold a JSON object.' };
  const folder = typeOfFolder(directory);
  let policyType: string | undefined;
  if (folder.found) {
    if (folder.type === null) return { kind: 'unsupported', index, reason: 'The folder holds objects of a type PolicyVault does not support.' };
    policyType = folder.type;
    // IntuneCD keeps the settings catalog compliance policies next to the classic ones.
    if (policyType === 'compliancePolicy' && typeOfShape(value) === 'settingsCatalogPolicy') {
      return { kind: 'unsupported', index, reason: 'Settings catalog compliance policies are not a type PolicyVault supports.' };
    }
  } else {
    policyType = typeOfODataContext(value['@odata.context']) ?? contextType ?? typeOfODataType(value['@odata.type']) ?? typeOfShape(value);
  }
  if (!policyType) return { kind: 'unplaced', index, reason: 'Neither the folder, @odata.context, @odata.type nor the shape says which policy type the object is.' };
  const contract = POLICY_TYPE_CONTRACTS[policyType];
  const { '@odata.context': _context, ...object } = value;
  return {
    kind: 'placed',
    placed: {
      policyType,
      graphId: typeof object.id === 'string' && object.id.trim() !== '' ? object.id : undefined,
      displayName: displayNameOf(object, path),
      isFoundation: contract?.foundation === true,
      object,
      index,
    },
  };
}

// Seeds a tenant from files that real tools wrote: IntuneManagement's export folders and IntuneCD's backup
// folders, JSON or YAML, in the encodings Windows tools produce (Windows PowerShell writes UTF-16 LE with a
// BOM). The mapping from folders and `@odata.type` to the emulator's collection keys lives here on purpose:
// the emulator must not learn Graph from the client it tests (libs/graph).
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import type { GraphObject } from '../graph/tenant-store.js';

/** The emulator's collection keys an export can be loaded into. */
export const EXPORT_POLICY_TYPES = [
  'deviceConfiguration',
  'settingsCatalogPolicy',
  'compliancePolicy',
  'administrativeTemplate',
  'endpointSecurityIntent',
  'windowsPlatformScript',
  'macOSPlatformScript',
  'remediationScript',
  'windowsFeatureUpdateProfile',
  'windowsQualityUpdateProfile',
  'windowsDriverUpdateProfile',
  'enrollmentConfiguration',
  'autopilotProfile',
  'assignmentFilter',
  'scopeTag',
  'appProtectionPolicy',
  'appConfigurationPolicy',
] as const;
export type ExportPolicyType = (typeof EXPORT_POLICY_TYPES)[number];

const EXACT_ODATA_TYPES: Record<string, ExportPolicyType> = {
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
  mdmWindowsInformationProtectionPolicy: 'appProtectionPolicy',
  windowsInformationProtectionPolicy: 'appProtectionPolicy',
  deviceComanagementAuthorityConfiguration: 'enrollmentConfiguration',
};

/** Types Graph names that are deliberately not among the emulator's collections (checked before the suffix rules). */
const UNSUPPORTED_ODATA_TYPES = new Set(['targetedManagedAppConfiguration', 'deviceManagementCompliancePolicy']);

/** Policy type of an exported object by its `@odata.type` (`#microsoft.graph.x` or `microsoft.graph.x`). */
export function policyTypeForODataType(odataType: string): ExportPolicyType | undefined {
  const name = odataType.replace(/^#?microsoft\.graph\./, '');
  if (EXACT_ODATA_TYPES[name]) return EXACT_ODATA_TYPES[name];
  if (UNSUPPORTED_ODATA_TYPES.has(name)) return undefined;
  if (name.endsWith('CompliancePolicy')) return 'compliancePolicy';
  if (name.endsWith('ManagedAppProtection')) return 'appProtectionPolicy';
  if (name.endsWith('MobileAppConfiguration') || name === 'androidManagedStoreAppConfiguration') return 'appConfigurationPolicy';
  if (name.endsWith('AutopilotDeploymentProfile')) return 'autopilotProfile';
  if (/Enrollment\w*Configuration$/.test(name) || /^deviceEnrollment\w*Configuration$/.test(name)) return 'enrollmentConfiguration';
  if (name.endsWith('Configuration')) return 'deviceConfiguration';
  return undefined;
}

/**
 * Export folders, lower-cased, as the two tools name them: IntuneManagement uses one folder per object
 * type named by its view id (`DeviceConfiguration`, `SettingsCatalog`…); IntuneCD uses readable nested
 * folders (`Compliance Policies/Policies`, `Enrollment Profiles/Windows/ESP`…). A string value is a
 * folder of objects the emulator does not hold: its files are reported with that description.
 */
const EXPORT_FOLDERS: Record<string, ExportPolicyType | string> = {
  // IntuneManagement
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
  enrollmentstatuspage: 'enrollmentConfiguration',
  enrollmentrestrictions: 'enrollmentConfiguration',
  comanagementsettings: 'enrollmentConfiguration',
  autopilot: 'autopilotProfile',
  assignmentfilters: 'assignmentFilter',
  scopetags: 'scopeTag',
  appprotection: 'appProtectionPolicy',
  appconfigurationmanageddevice: 'appConfigurationPolicy',
  compliancepoliciesv2: 'settings-catalog compliance policies (deviceManagement/compliancePolicies)',
  appconfigurationmanagedapp: 'app configurations for managed apps (targetedManagedAppConfigurations)',
  conditionalaccess: 'conditional access policies',
  applications: 'applications',
  policysets: 'policy sets',
  notifications: 'notification message templates',
  roledefinitions: 'role definitions',
  groups: 'groups',
  // IntuneCD
  'device configurations': 'deviceConfiguration',
  'settings catalog': 'settingsCatalogPolicy',
  'compliance policies/policies': 'compliancePolicy',
  'group policy configurations': 'administrativeTemplate',
  'management intents': 'endpointSecurityIntent',
  'scripts/powershell': 'windowsPlatformScript',
  'scripts/shell': 'macOSPlatformScript',
  'proactive remediations': 'remediationScript',
  'feature updates': 'windowsFeatureUpdateProfile',
  'quality updates': 'windowsQualityUpdateProfile',
  'driver updates': 'windowsDriverUpdateProfile',
  'enrollment configurations': 'enrollmentConfiguration',
  'enrollment profiles/windows/esp': 'enrollmentConfiguration',
  'enrollment profiles/windows': 'autopilotProfile',
  filters: 'assignmentFilter',
  'scope tags': 'scopeTag',
  'app protection': 'appProtectionPolicy',
  'app configuration': 'appConfigurationPolicy',
  'compliance policies/message templates': 'notification message templates',
  'compliance policies/scripts': 'compliance scripts',
  'conditional access': 'conditional access policies',
  'enrollment profiles/apple': 'Apple enrollment profiles',
  roles: 'role definitions',
  'custom attributes': 'macOS custom attribute scripts',
};

const isPolicyType = (value: string): value is ExportPolicyType => (EXPORT_POLICY_TYPES as readonly string[]).includes(value);

export interface LoadedExport {
  objects: Array<{ type: string; object: GraphObject }>;
  /** Every file that was not loaded or used as a side file, with why. */
  skipped: Array<{ file: string; reason: string }>;
  /** Groups named by IntuneCD assignments (`target.groupName`), with the ids the assignments now carry. */
  groups: Array<{ id: string; displayName: string }>;
}

const SCRIPT_EXTENSIONS = new Set(['.ps1', '.sh']);
const DOCUMENT_EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

interface SideFile {
  file: string;
  used: boolean;
}

/**
 * Reads every export file under `directory`. Objects are placed by folder, then by `@odata.type` (which
 * wins when it names another supported type), then by shape (settings catalog files carry no `@odata.type`).
 * Side files are merged into their object: IntuneManagement's `<name>_Settings.json` (intent settings,
 * administrative template definition values) and `<name>_assignments.json`, and script bodies (`.ps1`/`.sh`
 * beside the object or in IntuneCD's `Script Data` folder) when the object lacks them.
 */
export async function loadExportDirectory(directory: string): Promise<LoadedExport> {
  const result: LoadedExport = { objects: [], skipped: [], groups: [] };
  const documents: string[] = [];
  const scripts = new Map<string, SideFile>();
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath ?? directory, entry.name);
    if (relative(directory, file).split(sep).some((part) => part.startsWith('.'))) continue; // .git, editor files
    const extension = extname(entry.name).toLowerCase();
    if (DOCUMENT_EXTENSIONS.has(extension)) documents.push(file);
    else if (SCRIPT_EXTENSIONS.has(extension)) scripts.set(file.toLowerCase(), { file, used: false });
    else result.skipped.push({ file, reason: `not an export file (expected .json, .yaml or .yml; got '${extension || 'no extension'}')` });
  }
  // `<name>_Settings.json` / `<name>_assignments.json` are side files only beside their `<name>.json`.
  const documentSet = new Set(documents.map((file) => file.toLowerCase()));
  const sideDocuments = new Map<string, { file: string; kind: 'settings' | 'assignments' }>();
  for (const file of documents) {
    const match = /^(.*)_(settings|assignments)\.json$/i.exec(basename(file));
    const owner = match ? join(dirname(file), match[1]).toLowerCase() : '';
    if (match && documentSet.has(`${owner}.json`)) sideDocuments.set(`${owner}|${match[2].toLowerCase()}`, { file, kind: match[2].toLowerCase() as 'settings' | 'assignments' });
  }
  const usedSideDocuments = new Set<string>();
  const groups = new Map<string, string>();

  for (const file of documents.sort()) {
    if ([...sideDocuments.values()].some((side) => side.file === file)) continue;
    if (basename(file).toLowerCase() === 'migrationtable.json') {
      result.skipped.push({ file, reason: "IntuneManagement's migration table (source tenant and object ids), not a policy" });
      continue;
    }
    let parsed: unknown;
    try {
      parsed = await parseDocument(file, await readFile(file));
    } catch (error) {
      result.skipped.push({ file, reason: (error as Error).message });
      continue;
    }
    const items = isGraphList(parsed) ? parsed.value : [parsed];
    for (const item of items) {
      if (!isPlainObject(item)) {
        result.skipped.push({ file, reason: 'not an exported object (the file holds a JSON/YAML array or a single value)' });
        continue;
      }
      const placed = placeObject(directory, file, item);
      if (!placed.type) {
        result.skipped.push({ file, reason: placed.reason });
        continue;
      }
      const object: GraphObject = { ...item };
      for (const kind of ['settings', 'assignments'] as const) {
        const key = `${join(dirname(file), basename(file, extname(file))).toLowerCase()}|${kind}`;
        const side = sideDocuments.get(key);
        if (!side) continue;
        usedSideDocuments.add(side.file);
        await mergeSideDocument(object, placed.type, kind, side.file, result);
      }
      await attachScripts(object, placed.type, dirname(file), scripts);
      nameReferences(object, groups);
      result.objects.push({ type: placed.type, object });
    }
  }
  giveIds(result.objects);
  for (const side of sideDocuments.values()) {
    if (!usedSideDocuments.has(side.file)) result.skipped.push({ file: side.file, reason: `side file (${side.kind}) of an object file that was not loaded` });
  }
  for (const script of scripts.values()) {
    if (!script.used) result.skipped.push({ file: script.file, reason: 'script body that belongs to no exported script object' });
  }
  result.groups = [...groups].map(([displayName, id]) => ({ id, displayName }));
  return result;
}

/** UTF-8 (BOM or not) and UTF-16 LE/BE (BOM or not, told by the zero bytes of the leading ASCII character). */
export function decodeExportText(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes);
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return utf8(buffer.subarray(3));
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return utf16(buffer.subarray(2), 'le');
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return utf16(buffer.subarray(2), 'be');
  if (buffer.length >= 2 && buffer[0] !== 0 && buffer[1] === 0) return utf16(buffer, 'le');
  if (buffer.length >= 2 && buffer[0] === 0 && buffer[1] !== 0) return utf16(buffer, 'be');
  return utf8(buffer);
}

function utf8(buffer: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    throw new Error('not UTF-8 or UTF-16 text (an ANSI code page?)');
  }
}

function utf16(buffer: Buffer, order: 'le' | 'be'): string {
  if (buffer.length % 2 !== 0) throw new Error('UTF-16 text with an odd number of bytes');
  const little = order === 'le' ? Buffer.from(buffer) : Buffer.from(buffer).swap16();
  return little.toString('utf16le');
}

async function parseDocument(file: string, bytes: Uint8Array): Promise<unknown> {
  const text = decodeExportText(bytes);
  if (extname(file).toLowerCase() === '.json') {
    try {
      return JSON.parse(text);
    } catch {
      throw new Error('invalid JSON');
    }
  }
  // Loaded on demand: `yaml` is a development dependency (tests, local runs), absent from the runtime image.
  let yaml: { parse(text: string): unknown };
  try {
    yaml = await import('yaml');
  } catch {
    throw new Error("YAML files need the 'yaml' package, which is not installed here");
  }
  try {
    return yaml.parse(text);
  } catch {
    throw new Error('invalid YAML');
  }
}

type Placement = { type: ExportPolicyType; reason?: undefined } | { type?: undefined; reason: string };

function placeObject(root: string, file: string, object: GraphObject): Placement {
  const folder = folderCategory(relative(root, dirname(file)));
  const odataType = typeof object['@odata.type'] === 'string' ? object['@odata.type'] : undefined;
  const byODataType = odataType ? policyTypeForODataType(odataType) : undefined;
  if (folder && !isPolicyType(folder.category)) return { reason: `in ${folder.name}: ${folder.category}, which the emulator does not hold` };
  const byFolder = folder?.category as ExportPolicyType | undefined;
  if (byFolder === 'compliancePolicy' && !odataType && looksLikeSettingsCatalog(object)) {
    return { reason: `in ${folder?.name}: a settings-catalog compliance policy (deviceManagement/compliancePolicies), which the emulator does not hold` };
  }
  // Graph's own word on the type wins over a folder that disagrees.
  if (byODataType) return { type: byODataType };
  if (byFolder) return { type: byFolder };
  const byShape = typeByShape(object);
  if (byShape) return { type: byShape };
  const where = dirname(relative(root, file)) === '.' ? 'the export root' : `folder '${dirname(relative(root, file))}'`;
  return { reason: odataType ? `@odata.type '${odataType}' is not a type the emulator holds` : `no @odata.type, ${where} is no known export folder, and the content matches no policy shape` };
}

/** The nearest folder (one to three path segments, e.g. IntuneCD's `Enrollment Profiles/Windows/ESP`) that names a category. */
function folderCategory(relativeDir: string): { name: string; category: string } | undefined {
  const parts = relativeDir === '' || relativeDir === '.' ? [] : relativeDir.split(sep);
  for (let end = parts.length; end > 0; end -= 1) {
    for (let length = Math.min(3, end); length > 0; length -= 1) {
      const name = parts.slice(end - length, end).join('/');
      // A folder named by the emulator's own type id (e.g. `settingsCatalogPolicy`) also places its files.
      const category = EXPORT_FOLDERS[name.toLowerCase()] ?? EXPORT_POLICY_TYPES.find((type) => type.toLowerCase() === name.toLowerCase());
      if (category) return { name: `folder '${name}'`, category };
    }
  }
  return undefined;
}

function looksLikeSettingsCatalog(object: GraphObject): boolean {
  return Array.isArray(object.settings) && ('technologies' in object || 'platforms' in object || 'name' in object);
}

/** For files without `@odata.type` outside a known folder: the properties only one type has. */
function typeByShape(object: GraphObject): ExportPolicyType | undefined {
  if (looksLikeSettingsCatalog(object) || ('technologies' in object && 'platforms' in object)) return 'settingsCatalogPolicy';
  if (Array.isArray(object.definitionValues)) return 'administrativeTemplate';
  if (typeof object.templateId === 'string' && ('settingsDelta' in object || 'settings' in object)) return 'endpointSecurityIntent';
  if ('detectionScriptContent' in object) return 'remediationScript';
  if (typeof object.rule === 'string' && 'platform' in object) return 'assignmentFilter';
  return undefined;
}

async function mergeSideDocument(object: GraphObject, type: ExportPolicyType, kind: 'settings' | 'assignments', file: string, result: LoadedExport): Promise<void> {
  let side: unknown;
  try {
    side = await parseDocument(file, await readFile(file));
  } catch (error) {
    result.skipped.push({ file, reason: `side file (${kind}): ${(error as Error).message}` });
    return;
  }
  const values = Array.isArray(side) ? side : isPlainObject(side) ? (side[kind] ?? side.value) : undefined;
  if (!Array.isArray(values)) {
    result.skipped.push({ file, reason: `side file (${kind}) without a list of ${kind}` });
    return;
  }
  if (kind === 'assignments') object.assignments ??= values;
  else if (type === 'administrativeTemplate') object.definitionValues ??= values;
  else object.settings ??= values;
}

/** Script bodies from side files, base64 as Graph holds them, for objects exported without them. */
async function attachScripts(object: GraphObject, type: ExportPolicyType, folder: string, scripts: Map<string, SideFile>): Promise<void> {
  const candidates = (name: string) => [join(folder, name), join(folder, 'Script Data', name)].map((path) => path.toLowerCase());
  const attach = async (property: string, names: string[]) => {
    for (const path of names.flatMap(candidates)) {
      const side = scripts.get(path);
      if (!side) continue;
      side.used = true;
      if (typeof object[property] !== 'string' || object[property] === '') object[property] = (await readFile(side.file)).toString('base64');
      return;
    }
  };
  const displayName = typeof object.displayName === 'string' ? object.displayName : '';
  if (type === 'windowsPlatformScript' || type === 'macOSPlatformScript') {
    const fileName = typeof object.fileName === 'string' ? object.fileName : '';
    if (fileName) await attach('scriptContent', [fileName, `${basename(fileName, extname(fileName))}${type === 'windowsPlatformScript' ? '.ps1' : '.sh'}`]);
  }
  if (type === 'remediationScript') {
    // IntuneManagement names them after the object file, IntuneCD after the display name (same here).
    await attach('detectionScriptContent', [`${displayName}_DetectionScript.ps1`]);
    await attach('remediationScriptContent', [`${displayName}_RemediationScript.ps1`]);
  }
}

/**
 * IntuneCD writes assignments with the group's name (`target.groupName`, `groupType`, `membershipRule`)
 * instead of its id, a filter's name in `deviceAndAppManagementAssignmentFilterId`, and scope tag names
 * in `roleScopeTagIds`. Each name gets the id the named object has in this export (ids derived from names).
 */
function nameReferences(object: GraphObject, groups: Map<string, string>): void {
  if (Array.isArray(object.assignments)) {
    object.assignments = object.assignments.map((assignment) => {
      if (!isPlainObject(assignment) || !isPlainObject(assignment.target)) return assignment;
      const target: GraphObject = { ...assignment.target };
      if (typeof target.groupName === 'string' && typeof target.groupId !== 'string') {
        const id = groups.get(target.groupName) ?? derivedGuid(`group:${target.groupName}`);
        groups.set(target.groupName, id);
        target.groupId = id;
      }
      delete target.groupName;
      delete target.groupType;
      delete target.membershipRule;
      const filter = target.deviceAndAppManagementAssignmentFilterId;
      if (typeof filter === 'string' && filter !== '' && !GUID.test(filter)) target.deviceAndAppManagementAssignmentFilterId = derivedGuid(`assignmentFilter:${filter}`);
      return { ...assignment, target };
    });
  }
  if (Array.isArray(object.roleScopeTagIds)) {
    object.roleScopeTagIds = object.roleScopeTagIds.map((tag) => (typeof tag === 'string' && !/^\d+$/.test(tag) ? scopeTagId(tag) : tag));
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** IntuneCD drops ids: filters and scope tags get ids derived from their names, so name references resolve. */
function giveIds(objects: LoadedExport['objects']): void {
  for (const { type, object } of objects) {
    if (typeof object.id === 'string' && object.id !== '') continue;
    const name = typeof object.displayName === 'string' ? object.displayName : undefined;
    if (type === 'assignmentFilter' && name) object.id = derivedGuid(`assignmentFilter:${name}`);
    if (type === 'scopeTag' && name) object.id = scopeTagId(name);
  }
}

/** Scope tag ids are small numbers; `Default` is the built-in `0`. */
function scopeTagId(name: string): string {
  if (name.toLowerCase() === 'default') return '0';
  return String((parseInt(createHash('sha256').update(`scopeTag:${name}`).digest('hex').slice(0, 8), 16) % 999_999) + 1);
}

function derivedGuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function isPlainObject(value: unknown): value is GraphObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isGraphList(value: unknown): value is { value: unknown[] } {
  return isPlainObject(value) && Array.isArray(value.value) && typeof value.displayName !== 'string' && typeof value.name !== 'string';
}

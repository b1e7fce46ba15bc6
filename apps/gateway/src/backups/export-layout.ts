// Where each item of a backup set goes in an export archive: IntuneManagement's layout, so that tool (and
// our own import) reads it back. IntuneManagement writes one folder per object type, named by the id of
// its view (`DeviceConfiguration`, `SettingsCatalog`…), and one `<display name>.json` per object with
// its assignments inside; file system characters Windows refuses are removed, leading and trailing dots
// trimmed, and `_<object id>` appended when the tool is told to keep names unique.

/** IntuneManagement's folder of each policy type whose objects all share one folder. */
const FOLDER_BY_POLICY_TYPE: Record<string, string> = {
  deviceConfiguration: 'DeviceConfiguration',
  settingsCatalogPolicy: 'SettingsCatalog',
  compliancePolicy: 'CompliancePolicies',
  administrativeTemplate: 'AdministrativeTemplates',
  endpointSecurityIntent: 'EndpointSecurity',
  windowsPlatformScript: 'PowerShellScripts',
  macOSPlatformScript: 'MacScripts',
  remediationScript: 'DeviceHealthScripts',
  windowsFeatureUpdateProfile: 'FeatureUpdates',
  windowsQualityUpdateProfile: 'QualityUpdates',
  windowsDriverUpdateProfile: 'DriverUpdateProfiles',
  enrollmentConfiguration: 'EnrollmentRestrictions',
  autopilotProfile: 'AutoPilot',
  assignmentFilter: 'AssignmentFilters',
  scopeTag: 'ScopeTags',
  appProtectionPolicy: 'AppProtection',
  appConfigurationPolicy: 'AppConfigurationManagedDevice',
  // Enrollment kinds that are their own types land where IntuneManagement shows them (as before the split).
  enrollmentStatusPage: 'EnrollmentStatusPage',
  enrollmentPlatformRestriction: 'EnrollmentRestrictions',
  enrollmentDeviceLimit: 'EnrollmentRestrictions',
  enrollmentWindowsHelloForBusiness: 'EnrollmentRestrictions',
};

/** IntuneManagement lists update rings among "Update Policies", not "Device Configuration". */
const UPDATE_POLICY_ODATA_TYPES = new Set(['#microsoft.graph.windowsUpdateForBusinessConfiguration', '#microsoft.graph.iosUpdateConfiguration']);

/** Enrollment configurations IntuneManagement shows in views of their own; every other kind is a restriction. */
const ENROLLMENT_FOLDER_BY_ODATA_TYPE: Record<string, string> = {
  '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration': 'EnrollmentStatusPage',
  '#microsoft.graph.deviceComanagementAuthorityConfiguration': 'CoManagementSettings',
};

/** The folder of an item: IntuneManagement's for the types it knows, the policy type id otherwise. */
export function exportFolder(policyType: string, odataType: string | null, snapshot: Record<string, unknown>): string {
  if (policyType === 'deviceConfiguration' && odataType && UPDATE_POLICY_ODATA_TYPES.has(odataType)) return 'UpdatePolicies';
  if (policyType === 'enrollmentConfiguration' && odataType && ENROLLMENT_FOLDER_BY_ODATA_TYPE[odataType]) return ENROLLMENT_FOLDER_BY_ODATA_TYPE[odataType];
  if (policyType === 'appConfigurationPolicy' && snapshot.appSupportsOemConfig === true) return 'AndroidOEMConfig';
  return FOLDER_BY_POLICY_TYPE[policyType] ?? policyType;
}

// Windows refuses these in file names (Path.GetInvalidFileNameChars) and these device names as file names.
const INVALID_FILE_NAME_CHARACTERS = /["<>|:*?\\/\u0000-\u001f]/g;
const RESERVED_DEVICE_NAMES = /^(con|prn|aux|nul|com\d|lpt\d)$/i;
/** Room for the `_<id>` suffix and `.json` inside a 255-character file name. */
const MAX_NAME_LENGTH = 150;

/** A display name as a file name stem every file system accepts (never empty). */
export function safeFileStem(name: string, fallback: string): string {
  const cleaned = name
    .replace(INVALID_FILE_NAME_CHARACTERS, '')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, MAX_NAME_LENGTH)
    .replace(/[.\s]+$/, '');
  if (cleaned === '') return fallback.replace(INVALID_FILE_NAME_CHARACTERS, '').slice(0, MAX_NAME_LENGTH) || 'unnamed';
  return RESERVED_DEVICE_NAMES.test(cleaned) ? `${cleaned}_` : cleaned;
}

/**
 * Hands out unique paths (`Folder/Name.json`), unique without regard to case (Windows and macOS file
 * systems): a second object of the same name gets `_<graph id>` as IntuneManagement writes it, then a number.
 */
export class ExportPathAllocator {
  private readonly taken = new Set<string>();

  /** `reserved`: paths no item may take (the root's `manifest.json`). */
  constructor(reserved: string[] = []) {
    for (const path of reserved) this.taken.add(path.toLowerCase());
  }

  allocate(folder: string, displayName: string, graphId: string): string {
    const stem = safeFileStem(displayName, graphId);
    const candidates = [stem, `${stem}_${safeFileStem(graphId, 'id')}`];
    for (const candidate of candidates) {
      const path = `${folder}/${candidate}.json`;
      if (this.claim(path)) return path;
    }
    for (let counter = 2; ; counter += 1) {
      const path = `${folder}/${candidates[1]}_${counter}.json`;
      if (this.claim(path)) return path;
    }
  }

  private claim(path: string): boolean {
    const key = path.toLowerCase();
    if (this.taken.has(key)) return false;
    this.taken.add(key);
    return true;
  }
}

/** The download's file name: `<set name>-<yyyy-mm-dd>.zip`, the date the set was made (UTC). */
export function exportArchiveName(setName: string, createdAt: string): string {
  return `${safeFileStem(setName, 'backup-set')}-${createdAt.slice(0, 10)}.zip`;
}

/** `attachment` with the name as a quoted ASCII fallback and, when it is not ASCII, as RFC 5987 UTF-8. */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return ascii === fileName ? `attachment; filename="${fileName}"` : `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isSupportedPolicyType } from '@policyvault/graph';
import type { GraphObject } from '../graph/tenant-store.js';

/** Policy type of a Graph export by its `@odata.type` (folder names that are type ids win). */
export function policyTypeForODataType(odataType: string): string | undefined {
  const name = odataType.replace(/^#?microsoft\.graph\./, '');
  const exact: Record<string, string> = {
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
  };
  if (exact[name]) return exact[name];
  if (name.endsWith('CompliancePolicy')) return 'compliancePolicy';
  if (name.endsWith('ManagedAppProtection')) return 'appProtectionPolicy';
  if (name.endsWith('MobileAppConfiguration')) return 'appConfigurationPolicy';
  if (name.endsWith('AutopilotDeploymentProfile')) return 'autopilotProfile';
  if (/Enrollment.*Configuration$/i.test(name) || name.startsWith('deviceEnrollment')) return 'enrollmentConfiguration';
  if (name.endsWith('Configuration')) return 'deviceConfiguration';
  return undefined;
}

export interface LoadedExport {
  objects: Array<{ type: string; object: GraphObject }>;
  skipped: Array<{ file: string; reason: string }>;
}

/** Reads every `*.json` under `directory` (one Graph object per file, relations embedded as exported). */
export async function loadExportDirectory(directory: string): Promise<LoadedExport> {
  const result: LoadedExport = { objects: [], skipped: [] };
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
    const parent = entry.parentPath ?? directory;
    const file = join(parent, entry.name);
    let object: GraphObject;
    try {
      object = JSON.parse(await readFile(file, 'utf8')) as GraphObject;
    } catch {
      result.skipped.push({ file, reason: 'invalid JSON' });
      continue;
    }
    const folderType = basename(parent === directory ? dirname(file) : parent);
    const odataType = typeof object['@odata.type'] === 'string' ? object['@odata.type'] : '';
    const type = isSupportedPolicyType(folderType) ? folderType : policyTypeForODataType(odataType);
    if (!type || typeof object !== 'object' || object === null || Array.isArray(object)) {
      result.skipped.push({ file, reason: 'unknown policy type' });
      continue;
    }
    result.objects.push({ type, object });
  }
  return result;
}

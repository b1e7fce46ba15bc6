import { getPolicyTypeContract, listPolicyTypes, POLICY_TYPE_CONTRACTS } from './policy-type-contracts.js';
import { isBuiltInObject } from './built-in-objects.js';
import { stripForWrite } from './strip-for-write.js';

describe('contract registry', () => {
  it('covers at least 28 Intune and Entra types, each complete', () => {
    const types = listPolicyTypes();
    expect(types.length).toBeGreaterThanOrEqual(28);
    for (const type of types) {
      const contract = POLICY_TYPE_CONTRACTS[type];
      expect(contract.collectionPath).toMatch(/^\/(deviceManagement|deviceAppManagement|identity\/conditionalAccess|policies)\//);
      for (const before of contract.restoreAfter ?? []) expect(listPolicyTypes()).toContain(before);
      expect(['beta', 'v1.0']).toContain(contract.apiVersion);
      expect(['PATCH', 'PUT']).toContain(contract.updateMethod);
    }
    expect(listPolicyTypes({ includeFoundations: false })).not.toContain('assignmentFilter');
  });

  it('answers an unknown type with a typed unsupported result instead of throwing', () => {
    expect(getPolicyTypeContract('printerDriverPolicy')).toEqual({ supported: false, type: 'printerDriverPolicy', reason: 'unsupported_policy_type' });
    expect(getPolicyTypeContract('__proto__').supported).toBe(false);
    expect(getPolicyTypeContract('toString').supported).toBe(false);
    expect(stripForWrite('printerDriverPolicy', { id: 'x' })).toMatchObject({ supported: false });
  });
});

describe('stripForWrite', () => {
  it('removes common read-only properties and annotations but keeps @odata.type', () => {
    const object = {
      '@odata.context': 'https://graph.microsoft.com/beta/$metadata#x',
      '@odata.type': '#microsoft.graph.windows10GeneralConfiguration',
      id: 'abc',
      createdDateTime: '2024-01-01T00:00:00Z',
      lastModifiedDateTime: '2024-01-02T00:00:00Z',
      version: 3,
      'assignments@odata.context': 'x',
      displayName: 'Baseline',
      supportsScopeTags: true,
      assignments: [{ id: 'a', target: {} }],
      passwordRequired: true,
    };
    const result = stripForWrite('deviceConfiguration', object);
    expect(result).toEqual({
      supported: true,
      body: { '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', displayName: 'Baseline', passwordRequired: true },
    });
    expect(object.id).toBe('abc');
  });

  it('keeps inline relations (cleaned at every depth) and drops relations written separately', () => {
    const settings = stripForWrite('settingsCatalogPolicy', {
      id: 'p',
      name: 'Catalog',
      settingCount: 1,
      settings: [{ id: '0', settingInstance: { settingDefinitionId: 'd', children: [{ id: 'nested', value: 1 }] } }],
      assignments: [],
    });
    expect(settings).toEqual({ supported: true, body: { name: 'Catalog', settings: [{ settingInstance: { settingDefinitionId: 'd', children: [{ value: 1 }] } }] } });

    const template = stripForWrite('administrativeTemplate', { displayName: 'ADMX', definitionValues: [{ id: 'v' }], policyConfigurationIngestionType: 'builtIn' });
    expect(template).toEqual({ supported: true, body: { displayName: 'ADMX' } });
  });

  it('removes OData annotations and action entries at every depth, keeping @odata.type', () => {
    const result = stripForWrite('deviceConfiguration', {
      '@odata.type': '#microsoft.graph.windows10CustomConfiguration',
      '@odata.id': 'https://graph/x',
      '@odata.editLink': 'x',
      'assignments@odata.navigationLink': 'x',
      'deviceStatuses@odata.associationLink': 'x',
      '#microsoft.graph.assign': { title: 'assign', target: 'x' },
      '#microsoft.graph.createCopy': { title: 'createCopy' },
      displayName: 'OMA',
      omaSettings: [{ '@odata.type': '#microsoft.graph.omaSettingString', 'value@odata.type': '#String', '@odata.id': 'y', displayName: 's', omaUri: './x', value: 'v' }],
    });
    expect(result).toEqual({
      supported: true,
      body: { '@odata.type': '#microsoft.graph.windows10CustomConfiguration', displayName: 'OMA', omaSettings: [{ '@odata.type': '#microsoft.graph.omaSettingString', displayName: 's', omaUri: './x', value: 'v' }] },
    });
  });

  it('removes per-type read-only properties and keeps writable ones', () => {
    const ring = stripForWrite('deviceConfiguration', {
      '@odata.type': '#microsoft.graph.windowsUpdateForBusinessConfiguration',
      displayName: 'Ring',
      qualityUpdatesDeferralPeriodInDays: 7,
      qualityUpdatesRollbackStartDateTime: '2024-01-01T00:00:00Z',
      featureUpdatesRollbackStartDateTime: '2024-01-01T00:00:00Z',
      featureUpdatesPauseExpiryDateTime: '2024-01-01T00:00:00Z',
      qualityUpdatesPauseExpiryDateTime: '2024-01-01T00:00:00Z',
      featureUpdatesWillBeRolledBack: false,
      qualityUpdatesWillBeRolledBack: false,
      supportsScopeTags: true,
    });
    expect(ring).toEqual({ supported: true, body: { '@odata.type': '#microsoft.graph.windowsUpdateForBusinessConfiguration', displayName: 'Ring', qualityUpdatesDeferralPeriodInDays: 7 } });
    expect(stripForWrite('autopilotProfile', { displayName: 'AP', managementServiceAppId: 'x', language: 'os-default' })).toEqual({ supported: true, body: { displayName: 'AP', language: 'os-default' } });
    expect(stripForWrite('remediationScript', { displayName: 'R', deviceHealthScriptType: 'x', isGlobalScript: false, highestAvailableVersion: '1', runAsAccount: 'system' })).toEqual({ supported: true, body: { displayName: 'R', runAsAccount: 'system' } });
    expect(stripForWrite('appProtectionPolicy', { displayName: 'MAM', targetedAppManagementLevels: 'unmanaged', isAssigned: true, deployedAppCount: 1, apps: [] })).toEqual({ supported: true, body: { displayName: 'MAM', targetedAppManagementLevels: 'unmanaged' } });
  });

  it('drops a filter\'s platform on update only', () => {
    const filter = { displayName: 'F', platform: 'windows10AndLater', rule: 'r' };
    expect(stripForWrite('assignmentFilter', filter, 'create')).toEqual({ supported: true, body: filter });
    expect(stripForWrite('assignmentFilter', filter, 'update')).toEqual({ supported: true, body: { displayName: 'F', rule: 'r' } });
  });
});

describe('built-in objects', () => {
  it('recognises default enrollment configurations, built-in scope tags and global scripts', () => {
    expect(isBuiltInObject('enrollmentConfiguration', { id: 'abc_DefaultPlatformRestrictions', priority: 0 })).toBe(true);
    expect(isBuiltInObject('enrollmentConfiguration', { id: 'abc_DefaultWindows10EnrollmentCompletionPageConfiguration', priority: 0 })).toBe(true);
    expect(isBuiltInObject('enrollmentConfiguration', { id: 'abc_Limit', priority: 1 })).toBe(false);
    expect(isBuiltInObject('scopeTag', { id: '0', displayName: 'Default' })).toBe(true);
    expect(isBuiltInObject('scopeTag', { id: '4', isBuiltIn: false })).toBe(false);
    expect(isBuiltInObject('remediationScript', { isGlobalScript: true })).toBe(true);
    expect(isBuiltInObject('remediationScript', { isGlobalScript: false })).toBe(false);
    expect(isBuiltInObject('deviceConfiguration', { id: '0' })).toBe(false);
  });
});

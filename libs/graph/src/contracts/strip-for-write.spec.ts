import { getPolicyTypeContract, listPolicyTypes, POLICY_TYPE_CONTRACTS } from './policy-type-contracts.js';
import { stripForWrite } from './strip-for-write.js';

describe('contract registry', () => {
  it('covers at least 14 Intune types, each complete', () => {
    const types = listPolicyTypes();
    expect(types.length).toBeGreaterThanOrEqual(14);
    for (const type of types) {
      const contract = POLICY_TYPE_CONTRACTS[type];
      expect(contract.collectionPath).toMatch(/^\/device(Management|AppManagement)\//);
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
});

import { graphCatalogue } from '../src/index.js';

// That the committed catalogue is what the script generates from the metadata commit it records needs a checkout of
// msgraph-metadata, which CI does not have: `npm run emulator:catalogue:check` checks it where one exists (README).
describe('Graph catalogue', () => {
  it('carries base types, inherited properties, navigations and bound operations of the emulated types', () => {
    const catalogue = graphCatalogue();
    const custom = catalogue.entityType('#microsoft.graph.windows10CustomConfiguration')!;
    expect(custom.baseType).toBe('deviceConfiguration');
    expect(custom.properties).toMatchObject({ omaSettings: 'Collection(microsoft.graph.omaSetting)', displayName: 'Edm.String' });
    // A beta-only property: named by beta's type mappings, untyped (v1.0 does not have it).
    expect(custom.properties).toHaveProperty('roleScopeTagIds', null);
    expect(custom.navigationProperties).toHaveProperty('assignments');
    expect(custom.operations.getOmaSettingPlainTextValue).toMatchObject({ kind: 'function', parameters: { secretReferenceValueId: 'Edm.String' } });
    expect(catalogue.entityType('deviceCompliancePolicy')).toMatchObject({ abstract: true, operations: { scheduleActionsForRules: expect.anything() } });
    expect(catalogue.entityType('iosManagedAppProtection')?.operations.targetApps.parameters).toHaveProperty('appGroupType');
    expect(catalogue.entityType('groupPolicyConfiguration')?.operations.updateDefinitionValues.parameters).toEqual(expect.objectContaining({ added: expect.any(String), deletedIds: expect.any(String) }));
    expect(catalogue.derivesFrom('iosManagedAppProtection', 'managedAppPolicy')).toBe(true);
    expect(catalogue.derivesFrom('omaSettingString', 'omaSetting')).toBe(true);
    expect(catalogue.derivesFrom('windows10CompliancePolicy', 'deviceConfiguration')).toBe(false);
  });
});

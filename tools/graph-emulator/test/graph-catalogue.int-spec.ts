import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphCatalogue } from '../src/index.js';

const script = 'tools/graph-emulator/scripts/generate-catalogue.mjs';
const committed = 'tools/graph-emulator/src/catalogue/graph-catalogue.json';
const metadataRepository = process.env.GRAPH_METADATA_REPO ?? '/work/.mirror/microsoftgraph+msgraph-metadata/repo';

describe('Graph catalogue', () => {
  it('is what the script generates from the recorded msgraph-metadata commit, byte for byte', () => {
    if (!existsSync(metadataRepository)) {
      console.warn(`graph catalogue regeneration not checked: no msgraph-metadata checkout at ${metadataRepository} (set GRAPH_METADATA_REPO)`);
      return;
    }
    const directory = mkdtempSync(join(tmpdir(), 'graph-catalogue-'));
    try {
      const output = join(directory, 'catalogue.json');
      execFileSync('node', [script, metadataRepository, '--commit', graphCatalogue().sourceCommit, '--out', output], { stdio: 'pipe' });
      expect(readFileSync(output, 'utf8')).toBe(readFileSync(committed, 'utf8'));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

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

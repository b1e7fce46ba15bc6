import { POLICY_TYPE_CONTRACTS } from '../contracts/policy-type-contracts.js';
import { compareDirectAssignments, compareObjects } from './compare-objects.js';
import { compareSealedSecrets, SECRET_VALUE_CHANGED, SECRET_VALUE_LIVE } from './secret-markers.js';

const catalog = POLICY_TYPE_CONTRACTS.settingsCatalogPolicy;
const deviceConfiguration = POLICY_TYPE_CONTRACTS.deviceConfiguration;

const setting = (definitionId: string, value: string, id: string) => ({
  id,
  '@odata.type': '#microsoft.graph.deviceManagementConfigurationSetting',
  settingInstance: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance', settingDefinitionId: definitionId, choiceSettingValue: { value } },
});
const policy = (settings: unknown[], extra: Record<string, unknown> = {}) => ({
  id: 'p-1',
  name: 'Baseline',
  description: 'd',
  createdDateTime: '2025-01-01T00:00:00Z',
  lastModifiedDateTime: '2025-01-02T00:00:00Z',
  '@odata.context': 'https://graph/$metadata#…',
  'settings@odata.context': 'https://graph/$metadata#…',
  settings,
  ...extra,
});

describe('compareObjects', () => {
  it('ignores ids, timestamps, version, annotations and the order of settings', () => {
    const before = policy([setting('a', 'a_1', '0'), setting('b', 'b_1', '1')]);
    const now = policy([setting('b', 'b_1', '7'), setting('a', 'a_1', '8')], { lastModifiedDateTime: '2026-01-01T00:00:00Z', version: 9, '@odata.etag': 'W/"x"' });
    expect(compareObjects(catalog, now, before)).toEqual([]);
  });

  it('names a changed value at its position in key order', () => {
    const before = policy([setting('a', 'a_1', '0'), setting('b', 'b_1', '1')]);
    const now = policy([setting('b', 'b_0', '1'), setting('a', 'a_1', '0')]);
    expect(compareObjects(catalog, now, before)).toEqual([{ path: 'settings[1].settingInstance.choiceSettingValue.value', live: 'b_0', snapshot: 'b_1' }]);
  });

  it('compares stored secret values by key id and digest, showing only markers', () => {
    const envelope = (digest: string) => ({ policyVaultSecret: { version: 1, algorithm: 'AES-256-GCM', keyId: 'k1', wrappedKey: 'w', ciphertext: `c-${Math.random()}`, digest } });
    const version = (digest: string) => ({
      '@odata.type': '#microsoft.graph.windows10CustomConfiguration',
      displayName: 'Wi-Fi',
      omaSettings: [{ '@odata.type': '#microsoft.graph.omaSettingString', displayName: 'Key', omaUri: './Key', isEncrypted: true, value: envelope(digest) }],
    });
    const same = [version('d1'), version('d1')];
    expect(compareObjects(deviceConfiguration, same[1], same[0], compareSealedSecrets(same[0], same[1]))).toEqual([]);
    const changed = [version('d1'), version('d2')];
    const differences = compareObjects(deviceConfiguration, changed[1], changed[0], compareSealedSecrets(changed[0], changed[1]));
    expect(differences).toEqual([{ path: 'omaSettings[0].value', live: SECRET_VALUE_LIVE, snapshot: SECRET_VALUE_CHANGED }]);
    expect(JSON.stringify(differences)).not.toContain('policyVaultSecret');
  });
});

describe('compareDirectAssignments', () => {
  const target = (groupId: string) => ({ id: `a-${groupId}`, target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId } });
  it('compares direct assignments as a set, leaving inherited ones out', () => {
    expect(compareDirectAssignments({ assignments: [target('g2'), target('g1')] }, { assignments: [target('g1'), target('g2'), { ...target('g3'), source: 'policySets', sourceId: 's' }] })).toEqual([]);
    expect(compareDirectAssignments({ assignments: [target('g1')] }, { assignments: [target('g1'), target('g2')] })).toEqual([
      { path: 'assignments', live: [{ target: target('g1').target }], snapshot: [{ target: target('g1').target }, { target: target('g2').target }] },
    ]);
  });
});

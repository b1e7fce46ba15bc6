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

  it('names a changed value by its setting definition, and an added or removed setting as one difference', () => {
    const before = policy([setting('a', 'a_1', '0'), setting('b', 'b_1', '1'), setting('c', 'c_1', '2')]);
    const now = policy([setting('c', 'c_1', '2'), setting('b', 'b_0', '1'), setting('0', '0_1', '3')]);
    expect(compareObjects(catalog, now, before)).toEqual([
      { path: 'settings[a]', snapshot: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationSetting', settingInstance: setting('a', 'a_1', '0').settingInstance } },
      { path: 'settings[b].settingInstance.choiceSettingValue.value', live: 'b_0', snapshot: 'b_1' },
      { path: 'settings[0]', live: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationSetting', settingInstance: setting('0', '0_1', '3').settingInstance } },
    ]);
  });

  it('keys definition values by their definition (template ids are kept, value ids are not)', () => {
    const admx = POLICY_TYPE_CONTRACTS.administrativeTemplate;
    const value = (id: string, definitionId: string, enabled: boolean) => ({ id, enabled, definition: { id: definitionId, displayName: definitionId }, presentationValues: [] });
    const before = { displayName: 'T', definitionValues: [value('v1', 'd1', true), value('v2', 'd2', true)] };
    const now = { displayName: 'T', definitionValues: [value('w2', 'd2', false), value('w1', 'd1', true)] };
    expect(compareObjects(admx, now, before)).toEqual([{ path: 'definitionValues[d2].enabled', live: false, snapshot: true }]);
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
    expect(differences).toEqual([{ path: 'omaSettings[./Key].value', live: SECRET_VALUE_LIVE, snapshot: SECRET_VALUE_CHANGED }]);
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

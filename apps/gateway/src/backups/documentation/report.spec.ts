import type { DocumentedBackupItem, SettingDefinitionView } from '@policyvault/contracts';
import { SECRET_VALUE_TEXT, documentPolicy, humanize } from './policy-document.js';
import { escapeHtml, escapeMarkdown, reportWriter } from './report-writers.js';

const item = (snapshot: Record<string, unknown>, overrides: Partial<DocumentedBackupItem> = {}): DocumentedBackupItem => ({
  id: '3f1d3c52-0b55-4c1e-9d55-5a8f2a0c0001',
  policyType: 'settingsCatalogPolicy',
  policyTypeLabel: 'Settings catalog policy',
  graphId: 'g1',
  displayName: String(snapshot.displayName ?? snapshot.name ?? 'Policy'),
  isFoundation: false,
  odataType: null,
  contentHash: 'a'.repeat(64),
  capturedAt: '2026-01-02T03:04:05.000Z',
  references: { group: { 'group-1': 'Pilot <devices>' }, filter: { 'filter-1': 'Corporate' } },
  snapshot,
  ...overrides,
});

const definitions: Record<string, SettingDefinitionView> = {
  choice: { id: 'choice', displayName: 'Allow Realtime Monitoring', name: 'AllowRealtimeMonitoring', description: null, odataType: null, options: [{ itemId: 'choice_1', displayName: 'Allowed', name: 'allowed' }] },
  group: { id: 'group', displayName: 'Rules', name: 'Rules', description: null, odataType: null, options: [] },
  child: { id: 'child', displayName: 'Rule path', name: 'Path', description: null, odataType: null, options: [] },
};

describe('as-built documentation of one policy', () => {
  it('names settings catalog settings by their definitions, choices by their options, and nests group entries', () => {
    const document = documentPolicy(
      item({
        name: 'Baseline',
        settings: [
          { id: '0', settingInstance: { settingDefinitionId: 'choice', choiceSettingValue: { value: 'choice_1', children: [] } } },
          {
            id: '1',
            settingInstance: {
              settingDefinitionId: 'group',
              groupSettingCollectionValue: [{ children: [{ settingDefinitionId: 'child', simpleSettingValue: { value: 'C:\\Temp' } }] }],
            },
          },
          { id: '2', settingInstance: { settingDefinitionId: 'unknown_definition', simpleSettingValue: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationSecretSettingValue', value: 'x', valueState: 'encryptedValueToken' } } },
        ],
        assignments: [
          { target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'group-1', deviceAndAppManagementAssignmentFilterId: 'filter-1', deviceAndAppManagementAssignmentFilterType: 'include' } },
          { target: { '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget', groupId: 'group-2' } },
          { target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } },
        ],
      }),
      definitions,
    );
    expect(document.settings).toEqual([
      { name: 'Allow Realtime Monitoring', value: 'Allowed', depth: 0 },
      { name: 'Rules', value: '1 entry', depth: 0 },
      { name: 'Entry 1', value: '', depth: 1 },
      { name: 'Rule path', value: 'C:\\Temp', depth: 2 },
      { name: 'unknown_definition', value: SECRET_VALUE_TEXT, depth: 0 },
    ]);
    expect(document.assignments).toEqual([
      { intent: 'Include', target: 'Group: Pilot <devices>', filter: 'Corporate (include)' },
      { intent: 'Exclude', target: 'Group: group-2 (name not captured)', filter: '(none)' },
      { intent: 'Include', target: 'All devices', filter: '(none)' },
    ]);
  });

  it('shows an encrypted OMA-URI value as "secret value" only, and other properties by humanized name', () => {
    const document = documentPolicy(
      item(
        {
          displayName: 'Custom',
          passwordMinimumLength: 8,
          cameraBlocked: false,
          omaSettings: [
            { '@odata.type': '#microsoft.graph.omaSettingString', displayName: 'Key', omaUri: './Vendor/MSFT/Key', isEncrypted: true, value: { secret: true } },
            { '@odata.type': '#microsoft.graph.omaSettingString', displayName: 'Legacy', omaUri: './Vendor/MSFT/Legacy', isEncrypted: true, value: 'never shown' },
          ],
        },
        { policyType: 'deviceConfiguration', policyTypeLabel: 'Device configuration profile' },
      ),
      {},
    );
    expect(document.settings).toEqual(
      expect.arrayContaining([
        { name: 'Password minimum length', value: '8', depth: 0 },
        { name: 'Camera blocked', value: 'No', depth: 0 },
        { name: 'Key', value: SECRET_VALUE_TEXT, depth: 0 },
        { name: 'OMA-URI', value: './Vendor/MSFT/Key', depth: 1 },
        { name: 'Legacy', value: SECRET_VALUE_TEXT, depth: 0 },
      ]),
    );
    expect(JSON.stringify(document)).not.toContain('never shown');
  });

  it('humanizes property names', () => {
    expect(humanize('passwordMinimumLength')).toBe('Password minimum length');
    expect(humanize('osMinimumVersion')).toBe('OS minimum version');
    expect(humanize('#microsoft.graph.windows10GeneralConfiguration')).toBe('Windows10 general configuration');
  });
});

describe('report writers', () => {
  const hostile = '<script>alert("x")</script> & [link](javascript:1) | *bold* _it_';

  it('escape every text they write', () => {
    expect(escapeHtml(hostile)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; [link](javascript:1) | *bold* _it_');
    expect(escapeMarkdown(`${hostile}\nnext`)).toBe('&lt;script&gt;alert("x")&lt;/script&gt; &amp; \\[link\\](javascript:1) \\| \\*bold\\* \\_it\\_ next');
    for (const format of ['html', 'markdown'] as const) {
      const writer = reportWriter(format);
      const text = [
        writer.header({ setName: hostile, setId: 's', status: 'complete', tenantName: hostile, tenantId: 't', createdAt: 'c', completedAt: null, generatedAt: 'g', itemCount: 1, types: [{ policyType: 'x', label: hostile, items: [{ id: 'i', displayName: hostile }] }] }),
        writer.typeStart('x', hostile, 1),
        writer.policy({ id: 'i', displayName: hostile, basics: [{ name: hostile, value: hostile }], settings: [{ name: hostile, value: hostile, depth: 2 }], assignments: [{ intent: 'Include', target: hostile, filter: hostile }] }),
        writer.typeEnd(),
        writer.end(),
      ].join('');
      expect(text.toLowerCase()).not.toContain('<script');
      // A Markdown link would be live in a Markdown viewer; in HTML it is plain text.
      if (format === 'markdown') expect(text).not.toContain('[link](');
    }
  });
});

// As-built documentation (issue 15 item 4) through the real stack and the emulator: a set of several types
// (settings catalog with choice, simple, collection and group settings; device restrictions; a custom profile
// with a secret OMA-URI value; an administrative template; a compliance policy with scheduled actions) is
// rendered as HTML and Markdown, and the test walks every stored snapshot itself: each setting's display name
// (settings catalog definitions as Graph describes them) and value must be a row of its policy's section, each
// assignment a row with its group's name. Names are escaped; the secret never appears; capturing the
// definitions changes no content hash (a second backup reuses every version and reads no definition again).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { RunStatus, RunType } from '@policyvault/contracts';
import { GROUP_POLICY_DEFINITIONS, SETTING_DEFINITIONS, startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, gatewayRuns, graphEmulatorEnv, startStack, type Stack } from '@policyvault/testing';

type GraphObject = Record<string, unknown>;
type Row = [name: string, value: string];

const CANARY = `pv-report-canary-${randomUUID()}`;
const HOSTILE_NAME = 'Defender <script>alert("pv")</script> & *baseline* | [x](y)';
const DEFENDER = 'device_vendor_msft_policy_config_defender_';
const SEEDED_GROUP = `${DEFENDER}setting0`; // a group collection in the emulator's catalogue
const SEEDED_CHOICE = `${DEFENDER}setting2`; // a choice
const definitions = new Map(SETTING_DEFINITIONS.map((definition) => [String(definition.id), definition]));

/** Graph-side names and the report's plain words, written here independently of the renderer. */
const METADATA = new Set(['@odata.type', 'id', 'createdDateTime', 'lastModifiedDateTime', 'version', 'displayName', 'name', 'description', 'roleScopeTagIds', 'assignments', 'supportsScopeTags', 'settingCount', 'isAssigned', 'creationSource', 'platforms', 'technologies']);
const words = (key: string) => {
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
};
const shown = (value: unknown): string => {
  if (value && typeof value === 'object' && (value as GraphObject).secret === true) return 'secret value';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.map(shown).join(', ');
  return String(value);
};

/** Every (setting, value) row a report must show for this snapshot, walked from the snapshot itself. */
function expectedRows(snapshot: GraphObject, references: { group?: Record<string, string>; notificationTemplate?: Record<string, string> }): Row[] {
  const rows: Row[] = [];
  const catalog = (instance: GraphObject) => {
    const definition = definitions.get(String(instance.settingDefinitionId))!;
    const name = String(definition.displayName);
    const option = (value: unknown) => String((definition.options as GraphObject[]).find((candidate) => candidate.itemId === value)!.displayName);
    if (instance.choiceSettingValue) {
      const choice = instance.choiceSettingValue as GraphObject;
      rows.push([name, option(choice.value)]);
      (choice.children as GraphObject[]).forEach(catalog);
    } else if (instance.simpleSettingValue) rows.push([name, shown((instance.simpleSettingValue as GraphObject).value)]);
    else if (instance.simpleSettingCollectionValue) rows.push([name, (instance.simpleSettingCollectionValue as GraphObject[]).map((value) => shown(value.value)).join(', ')]);
    else if (instance.groupSettingCollectionValue) {
      const entries = instance.groupSettingCollectionValue as GraphObject[];
      rows.push([name, `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}`]);
      entries.forEach((entry, index) => {
        rows.push([`Entry ${index + 1}`, '']);
        (entry.children as GraphObject[]).forEach(catalog);
      });
    } else throw new Error(`the fixture has a setting shape the test does not walk: ${JSON.stringify(instance)}`);
  };
  for (const [key, value] of Object.entries(snapshot)) {
    if (METADATA.has(key)) continue;
    if (key === 'settings') for (const setting of value as GraphObject[]) catalog(setting.settingInstance as GraphObject);
    else if (key === 'omaSettings') {
      for (const setting of value as GraphObject[]) rows.push([String(setting.displayName), setting.isEncrypted ? 'secret value' : shown(setting.value)], ['OMA-URI', String(setting.omaUri)]);
    } else if (key === 'definitionValues') {
      for (const definitionValue of value as GraphObject[]) {
        rows.push([String((definitionValue.definition as GraphObject).displayName), definitionValue.enabled ? 'Enabled' : 'Disabled']);
        for (const presentationValue of definitionValue.presentationValues as GraphObject[]) rows.push([String((presentationValue.presentation as GraphObject).label), shown(presentationValue.value)]);
      }
    } else if (key === 'scheduledActionsForRule') {
      for (const rule of value as GraphObject[]) {
        for (const action of rule.scheduledActionConfigurations as GraphObject[]) {
          const hours = Number(action.gracePeriodHours);
          rows.push([`Action for noncompliance: ${words(String(action.actionType))}`, hours === 0 ? 'Immediately' : `After ${hours} hours`]);
          if (action.notificationTemplateId) rows.push(['Message template', references.notificationTemplate![String(action.notificationTemplateId)]]);
          if ((action.notificationMessageCCList as string[]).length > 0) rows.push(['Additional recipients', (action.notificationMessageCCList as string[]).map((id) => references.group![id]).join(', ')]);
        }
      }
    } else if (value === null || typeof value !== 'object' || (Array.isArray(value) && value.every((entry) => typeof entry !== 'object'))) rows.push([words(key), shown(value)]);
    else throw new Error(`the fixture has a property the test does not walk: ${key}`);
  }
  return rows;
}

const unescapeHtml = (text: string) => text.replace(/&(amp|lt|gt|quot|#39);/g, (_, entity: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[entity]!);
const unescapeMarkdown = (text: string) => unescapeHtml(text.replace(/^(&emsp;)+/, '').replace(/\\(.)/g, '$1'));

/** A report cut into its policies' sections, each with its two-column and three-column table rows (text unescaped). */
function sections(report: string, format: 'html' | 'markdown'): Map<string, { rows: Row[]; assignments: string[][]; text: string }> {
  const result = new Map<string, { rows: Row[]; assignments: string[][]; text: string }>();
  const marker = format === 'html' ? '<article class="policy" id="item-' : '<a id="item-';
  for (const chunk of report.split(marker).slice(1)) {
    const id = chunk.slice(0, 36);
    const cells: string[][] =
      format === 'html'
        ? [...chunk.matchAll(/<tr(?: class="d\d")?>(.*?)<\/tr>/g)].map((row) => [...row[1].matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((cell) => unescapeHtml(cell[1])))
        : chunk
            .split('\n')
            .filter((line) => line.startsWith('| ') && !line.startsWith('|---'))
            .map((line) => line.slice(2, -2).split(' | ').map(unescapeMarkdown));
    result.set(id, {
      rows: cells.filter((cell) => cell.length === 2).map(([name, value]) => [name, value]),
      assignments: cells.filter((cell) => cell.length === 3 && (cell[0] === 'Include' || cell[0] === 'Exclude')),
      text: chunk,
    });
  }
  return result;
}

describe('as-built documentation: every setting of every policy, by name, in HTML and Markdown', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let token: string;
  let backupSetId: string;
  /** The emulator's journal position before the first backup. */
  let firstBackupSince: number;
  let items: Array<{ id: string; policyVersionId: string; graphId: string; displayName: string; references: GraphObject }>;
  const groups: Record<string, string> = {};

  const get = (path: string, bearer = token) => fetch(`${stack.gatewayUrl}/api/tenants/${CONTOSO.id}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
  const report = async (format: 'html' | 'markdown') => {
    const response = await get(`/backup-sets/${backupSetId}/report?format=${format}`);
    expect(response.status).toBe(200);
    return { response, text: await response.text() };
  };
  const backup = async (name: string) => {
    const runs = gatewayRuns(stack.gatewayUrl, await stack.token('operator@contoso.test'));
    const { reply } = await runs.start(CONTOSO.id, {
      type: RunType.BackupSetCreate,
      target: { name },
      scope: { policyTypes: ['settingsCatalogPolicy', 'deviceConfiguration', 'administrativeTemplate', 'compliancePolicy'] },
    });
    const run = await runs.waitUntilTerminal(CONTOSO.id, reply.run.id);
    expect(run).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 5, succeeded: 5 } });
    return String(run.summary?.backupSetId);
  };

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: {} } });
    const tenant = CONTOSO.directoryId;
    for (const name of ['Pilot devices', 'Finance <team>', 'Kiosks']) groups[name] = String(emulator.admin.addGroup(tenant, { displayName: name })!.id);
    const filterId = String(emulator.admin.putObject(tenant, 'assignmentFilter', { displayName: 'Corporate only', platform: 'windows10AndLater', rule: '(device.deviceOwnership -eq "Corporate")', roleScopeTags: ['0'], payloads: [] })!.id);
    const templateId = String(emulator.admin.putObject(tenant, 'notificationMessageTemplate', { displayName: 'Fix your device', defaultLocale: 'en-us', brandingOptions: 'none', roleScopeTagIds: ['0'] })!.id);
    const group = (name: string, exclude = false) => ({ target: { '@odata.type': `#microsoft.graph.${exclude ? 'exclusionGroupAssignmentTarget' : 'groupAssignmentTarget'}`, groupId: groups[name] } });

    emulator.admin.putObject(tenant, 'settingsCatalogPolicy', {
      name: HOSTILE_NAME,
      description: 'Defender baseline',
      platforms: 'windows10',
      technologies: 'mdm',
      roleScopeTagIds: ['0'],
      settings: [
        { id: '0', settingInstance: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance', settingDefinitionId: `${DEFENDER}allowrealtimemonitoring`, choiceSettingValue: { value: `${DEFENDER}allowrealtimemonitoring_1`, children: [] } } },
        { id: '1', settingInstance: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance', settingDefinitionId: `${DEFENDER}cloudextendedtimeout`, simpleSettingValue: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationIntegerSettingValue', value: 50 } } },
        {
          id: '2',
          settingInstance: {
            '@odata.type': '#microsoft.graph.deviceManagementConfigurationSimpleSettingCollectionInstance',
            settingDefinitionId: `${DEFENDER}excludedpaths`,
            simpleSettingCollectionValue: [
              { '@odata.type': '#microsoft.graph.deviceManagementConfigurationStringSettingValue', value: 'C:\\Build_*\\out' },
              { '@odata.type': '#microsoft.graph.deviceManagementConfigurationStringSettingValue', value: 'D:\\<temp>' },
            ],
          },
        },
        {
          id: '3',
          settingInstance: {
            '@odata.type': '#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance',
            settingDefinitionId: SEEDED_GROUP,
            groupSettingCollectionValue: [0, 1].map((entry) => ({
              children: [0, 3].map((child) => ({
                '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
                settingDefinitionId: `${SEEDED_GROUP}_child${child}`,
                choiceSettingValue: { value: `${SEEDED_GROUP}_child${child}_${(entry + child) % 3}`, children: [] },
              })),
            })),
          },
        },
        { id: '4', settingInstance: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance', settingDefinitionId: SEEDED_CHOICE, choiceSettingValue: { value: `${SEEDED_CHOICE}_0`, children: [] } } },
      ],
      assignments: [
        { ...group('Pilot devices'), target: { ...group('Pilot devices').target, deviceAndAppManagementAssignmentFilterId: filterId, deviceAndAppManagementAssignmentFilterType: 'include' } },
        group('Finance <team>', true),
      ],
    });
    emulator.admin.putObject(tenant, 'deviceConfiguration', {
      '@odata.type': '#microsoft.graph.windows10GeneralConfiguration',
      displayName: 'Device restrictions',
      roleScopeTagIds: ['0'],
      passwordRequired: true,
      passwordMinimumLength: 12,
      cameraBlocked: false,
      passwordRequiredType: 'alphanumeric',
      defenderFileExtensionsToExclude: ['.log', '.tmp'],
      assignments: [{ target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }],
    });
    emulator.admin.putObject(tenant, 'deviceConfiguration', {
      '@odata.type': '#microsoft.graph.windows10CustomConfiguration',
      displayName: 'Corp Wi-Fi',
      roleScopeTagIds: ['0'],
      omaSettings: [
        { '@odata.type': '#microsoft.graph.omaSettingInteger', displayName: 'Allow Cortana', omaUri: './Vendor/MSFT/Policy/Config/Experience/AllowCortana', value: 0, isReadOnly: false },
        { '@odata.type': '#microsoft.graph.omaSettingString', displayName: 'Corp Wi-Fi key', omaUri: './Vendor/MSFT/WiFi/Profile/Corp/WlanXml', isEncrypted: true, value: CANARY },
      ],
      assignments: [group('Kiosks')],
    });
    const search = GROUP_POLICY_DEFINITIONS.find((definition) => definition.object.displayName === 'Set default search provider URL')!;
    const homePage = GROUP_POLICY_DEFINITIONS.find((definition) => definition.object.displayName === 'Block third party cookies')!;
    emulator.admin.putObject(tenant, 'administrativeTemplate', {
      displayName: 'Edge settings',
      roleScopeTagIds: ['0'],
      definitionValues: [
        {
          id: randomUUID(),
          enabled: true,
          configurationType: 'policy',
          definition: structuredClone(search.object),
          presentationValues: [
            { '@odata.type': '#microsoft.graph.groupPolicyPresentationValueText', id: randomUUID(), value: 'https://search.example.com/?q={searchTerms}', presentation: structuredClone(search.presentations[0]) },
            { '@odata.type': '#microsoft.graph.groupPolicyPresentationValueBoolean', id: randomUUID(), value: false, presentation: structuredClone(search.presentations[1]) },
          ],
        },
        { id: randomUUID(), enabled: false, configurationType: 'policy', definition: structuredClone(homePage.object), presentationValues: [] },
      ],
      assignments: [group('Pilot devices')],
    });
    emulator.admin.putObject(tenant, 'compliancePolicy', {
      '@odata.type': '#microsoft.graph.windows10CompliancePolicy',
      displayName: 'Windows compliance',
      roleScopeTagIds: ['0'],
      passwordRequired: true,
      passwordMinimumLength: 10,
      secureBootEnabled: true,
      scheduledActionsForRule: [
        {
          id: randomUUID(),
          ruleName: 'PasswordRequired',
          scheduledActionConfigurations: [
            { id: randomUUID(), actionType: 'block', gracePeriodHours: 0, notificationTemplateId: '', notificationMessageCCList: [] },
            { id: randomUUID(), actionType: 'notification', gracePeriodHours: 24, notificationTemplateId: templateId, notificationMessageCCList: [groups['Finance <team>']] },
          ],
        },
      ],
      assignments: [group('Pilot devices')],
    });

    stack = await startStack({ services: ['run-service', 'capture-worker', 'gateway'], env: graphEmulatorEnv(emulator.url) });
    token = await stack.token('reader@contoso.test');
    firstBackupSince = emulator.journal.lastSeq;
    backupSetId = await backup('Quarterly as-built: Q1');
    items = ((await (await get(`/backup-sets/${backupSetId}/items?limit=50`)).json()) as { items: typeof items }).items;
    expect(items).toHaveLength(5);
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await emulator?.close();
  });

  it.each(['html', 'markdown'] as const)('%s: every setting, value and assignment of every stored snapshot is a row of its policy', async (format) => {
    const { response, text } = await report(format);
    expect(response.headers.get('content-type')).toBe(format === 'html' ? 'text/html; charset=utf-8' : 'text/markdown; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="Quarterly as-built Q1-\\d{4}-\\d{2}-\\d{2}-as-built\\.${format === 'html' ? 'html' : 'md'}"$`));
    const bySection = sections(text, format);
    expect([...bySection.keys()].sort()).toEqual(items.map((item) => item.id).sort());
    let checked = 0;
    for (const item of items) {
      const version = (await (await get(`/policy-versions/${item.policyVersionId}`)).json()) as { snapshot: GraphObject; contentHash: string };
      const section = bySection.get(item.id)!;
      const expected = expectedRows(version.snapshot, item.references as never);
      expect({ policy: item.displayName, missing: expected.filter(([name, value]) => !section.rows.some((row) => row[0] === name && row[1] === value)) }).toEqual({ policy: item.displayName, missing: [] });
      checked += expected.length;
      // The content hash shown is the store's.
      expect(section.rows).toContainEqual(['Content hash', version.contentHash]);
      // Every assignment by its group's captured name (or what it targets), include or exclude, with its filter.
      const assignments = (version.snapshot.assignments as GraphObject[]).map((assignment) => {
        const target = assignment.target as GraphObject;
        const type = String(target['@odata.type']);
        const groupName = target.groupId ? `Group: ${Object.entries(groups).find(([, id]) => id === target.groupId)![0]}` : 'All devices';
        return [type.includes('exclusion') ? 'Exclude' : 'Include', groupName, target.deviceAndAppManagementAssignmentFilterId ? 'Corporate only (include)' : '(none)'];
      });
      expect(section.assignments).toEqual(assignments);
    }
    expect(checked).toBeGreaterThan(30);
    // The table of contents lists each type with its count; the header names the set and the tenant.
    expect(text).toContain(format === 'html' ? '<td>Contoso</td>' : '| Tenant | Contoso |');
    expect(text).toContain(format === 'html' ? '<a href="#type-deviceConfiguration">Device configuration profile</a> (2)' : '- [Device configuration profile](#type-deviceConfiguration) (2)');
  });

  it('escapes names (no tag from a policy name reaches the page), runs nothing, and never shows a secret', async () => {
    const html = (await report('html')).text;
    const markdown = (await report('markdown')).text;
    expect(html).toContain('<h3>Defender &lt;script&gt;alert(&quot;pv&quot;)&lt;/script&gt; &amp; *baseline* | [x](y)</h3>');
    expect(markdown).toContain('### Defender &lt;script&gt;alert("pv")&lt;/script&gt; &amp; \\*baseline\\* \\| \\[x\\](y)');
    for (const text of [html, markdown]) {
      expect(text.toLowerCase()).not.toContain('<script');
      expect(text).not.toContain('Finance <team>');
      expect(text).not.toContain(CANARY);
      expect(text).toContain('secret value');
    }
    expect(stack.services.filter((service) => readFileSync(service.logFile, 'utf8').includes(CANARY)).map((service) => service.name)).toEqual([]);
    const response = await get(`/backup-sets/${backupSetId}/report`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  const graphReads = (since: number) =>
    emulator.journal.list({ tenant: CONTOSO.directoryId, sinceSeq: since }).filter((entry) => entry.kind === 'batch-item' || (entry.kind === 'graph' && !entry.path.endsWith('/$batch')));
  const settingsReads = (since: number) => graphReads(since).filter((entry) => /\/configurationPolicies\/[^/]+\/settings$/.test(entry.path));

  it('captures definitions apart from the snapshots: a second backup reuses every version (same hashes) and reads no definition again', async () => {
    // The first backup (the policy never captured before) read the settings with their definitions: none by id.
    expect(settingsReads(firstBackupSince).map((entry) => decodeURIComponent(entry.query))).toEqual(['?$expand=settingDefinitions']);
    expect(graphReads(firstBackupSince).filter((entry) => entry.path.includes('configurationSettings'))).toEqual([]);
    const { rows } = await stack.database.pool.query<{ snapshot: string }>(`SELECT version.snapshot::text AS snapshot FROM capture.policy_versions version`);
    expect(rows.some((row) => row.snapshot.includes('settingDefinitions'))).toBe(false);
    const stored = await stack.database.pool.query<{ definition_id: string }>(`SELECT definition_id FROM capture.setting_definitions WHERE tenant_id = $1`, [CONTOSO.id]);
    expect(stored.rows.map((row) => row.definition_id).sort()).toEqual(
      [`${DEFENDER}allowrealtimemonitoring`, `${DEFENDER}cloudextendedtimeout`, `${DEFENDER}excludedpaths`, SEEDED_GROUP, `${SEEDED_GROUP}_child0`, `${SEEDED_GROUP}_child3`, SEEDED_CHOICE].sort(),
    );

    const since = emulator.journal.lastSeq;
    const secondSetId = await backup('Quarterly as-built: again');
    const definitionReads = emulator.journal.list({ tenant: CONTOSO.directoryId, sinceSeq: since }).filter((entry) => entry.path.includes('configurationSettings'));
    expect(definitionReads).toEqual([]);
    const second = ((await (await get(`/backup-sets/${secondSetId}/items?limit=50`)).json()) as { items: typeof items }).items;
    expect(second.map((item) => `${item.graphId}:${item.policyVersionId}`).sort()).toEqual(items.map((item) => `${item.graphId}:${item.policyVersionId}`).sort());
  });

  it('reads a known policy without its definitions: a setting added since has its one new definition read by id', async () => {
    const [policy] = emulator.admin.listObjects(CONTOSO.directoryId, 'settingsCatalogPolicy')!;
    const added = `${DEFENDER}setting3`;
    const settings = [
      ...(policy.settings as GraphObject[]),
      { id: '5', settingInstance: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance', settingDefinitionId: added, choiceSettingValue: { value: `${added}_1`, children: [] } } },
    ];
    emulator.admin.patchObject(CONTOSO.directoryId, 'settingsCatalogPolicy', String(policy.id), { settings });

    const since = emulator.journal.lastSeq;
    await backup('Quarterly as-built: a setting added');
    expect(settingsReads(since).map((entry) => entry.query)).toEqual(['']);
    expect(graphReads(since).filter((entry) => entry.path.includes('configurationSettings')).map((entry) => entry.path)).toEqual([`/beta/deviceManagement/configurationSettings/${added}`]);
    const stored = await stack.database.pool.query<{ definition: { displayName: string } }>(`SELECT definition FROM capture.setting_definitions WHERE tenant_id = $1 AND definition_id = $2`, [CONTOSO.id, added]);
    expect(stored.rows.map((row) => row.definition.displayName)).toEqual([SETTING_DEFINITIONS.find((definition) => definition.id === added)!.displayName]);
  });

  it('answers 404 for an unknown set, 409 while a set is capturing, 400 for a bad format, 403 in another tenant', async () => {
    const unknown = await get(`/backup-sets/${randomUUID()}/report`);
    expect({ status: unknown.status, body: await unknown.json() }).toEqual({ status: 404, body: { statusCode: 404, error: 'Not Found', message: 'backup set not found in this tenant' } });
    const capturingId = randomUUID();
    await stack.database.pool.query(
      `INSERT INTO capture.backup_sets (id, tenant_id, name, status, include_foundations, created_by_run_id, created_at) VALUES ($1, $2, 'Still capturing', 'capturing', false, $3, now())`,
      [capturingId, CONTOSO.id, randomUUID()],
    );
    const capturing = await get(`/backup-sets/${capturingId}/report?format=markdown`);
    expect({ status: capturing.status, body: await capturing.json() }).toEqual({
      status: 409,
      body: { statusCode: 409, error: 'Conflict', message: 'backup set is capturing; only a complete or partial backup set can be documented' },
    });
    const bad = await get(`/backup-sets/${backupSetId}/report?format=pdf`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('format: must be one of the following values: html, markdown');
    expect((await get(`/backup-sets/${backupSetId}/report`, await stack.token('owner@fabrikam.test'))).status).toBe(403);
  });
});

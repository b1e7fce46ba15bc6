import { DEMO_TENANTS } from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '../src/index.js';
import { GraphTestClient } from './graph-test-client.js';

type GraphObject = Record<string, unknown>;
const [CONTOSO] = DEMO_TENANTS.map((tenant) => tenant.directoryId);

/** Every setting instance of a settings catalog setting, children included. */
function instances(value: unknown, into: GraphObject[] = []): GraphObject[] {
  if (Array.isArray(value)) value.forEach((item) => instances(item, into));
  else if (value && typeof value === 'object') {
    const object = value as GraphObject;
    if (typeof object.settingDefinitionId === 'string') into.push(object);
    Object.values(object).forEach((child) => instances(child, into));
  }
  return into;
}

describe('Graph emulator settings catalog definitions', () => {
  let emulator: RunningGraphEmulator;
  let graph: GraphTestClient;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, demoSeed: { policiesPerType: 4 } });
    graph = new GraphTestClient(emulator);
  });
  afterAll(() => emulator.close());

  it('serves the definition of every setting the seeded policies use, with the choice each value names among its options', async () => {
    const policies = await graph.ok<{ value: GraphObject[] }>(CONTOSO, 'GET', '/beta/deviceManagement/configurationPolicies?$expand=settings');
    const used = policies.value.flatMap((policy) => instances(policy.settings));
    expect(used.length).toBeGreaterThan(20);
    const definitions = new Map<string, GraphObject>();
    for (const id of new Set(used.map((instance) => String(instance.settingDefinitionId)))) {
      definitions.set(id, await graph.ok(CONTOSO, 'GET', `/beta/deviceManagement/configurationSettings/${encodeURIComponent(id)}`));
    }
    for (const instance of used) {
      const definition = definitions.get(String(instance.settingDefinitionId))!;
      expect(definition.displayName).toEqual(expect.any(String));
      const choice = instance.choiceSettingValue as GraphObject | undefined;
      if (choice) {
        expect(definition['@odata.type']).toBe('#microsoft.graph.deviceManagementConfigurationChoiceSettingDefinition');
        expect((definition.options as GraphObject[]).map((option) => option.itemId)).toContain(choice.value);
      }
      if (instance.groupSettingCollectionValue) {
        expect(definition['@odata.type']).toBe('#microsoft.graph.deviceManagementConfigurationSettingGroupCollectionDefinition');
        for (const child of instances((instance.groupSettingCollectionValue as GraphObject[]).map((value) => value.children))) expect(definition.childIds).toContain(child.settingDefinitionId);
      }
    }
  });

  it('expands a setting’s definitions on the settings sub-path and leaves them out otherwise', async () => {
    const policies = await graph.ok<{ value: GraphObject[] }>(CONTOSO, 'GET', '/beta/deviceManagement/configurationPolicies');
    const path = `/beta/deviceManagement/configurationPolicies/${String(policies.value[0].id)}/settings`;
    const expanded = await graph.ok<{ value: GraphObject[] }>(CONTOSO, 'GET', `${path}?$expand=settingDefinitions`);
    for (const setting of expanded.value) {
      const ids = instances(setting.settingInstance).map((instance) => instance.settingDefinitionId);
      expect((setting.settingDefinitions as GraphObject[]).map((definition) => definition.id).sort()).toEqual([...new Set(ids)].sort());
    }
    const plain = await graph.ok<{ value: GraphObject[] }>(CONTOSO, 'GET', path);
    expect(plain.value.every((setting) => !('settingDefinitions' in setting))).toBe(true);
  });

  it('answers 404 for an unknown definition and refuses writes to the catalogue', async () => {
    expect((await graph.call(CONTOSO, 'GET', '/beta/deviceManagement/configurationSettings/no_such_definition')).status).toBe(404);
    expect((await graph.call(CONTOSO, 'POST', '/beta/deviceManagement/configurationSettings', { id: 'x', displayName: 'x' })).status).toBe(405);
    const id = 'device_vendor_msft_policy_config_defender_allowrealtimemonitoring';
    expect((await graph.call(CONTOSO, 'PATCH', `/beta/deviceManagement/configurationSettings/${id}`, { displayName: 'x' })).status).toBe(405);
  });
});

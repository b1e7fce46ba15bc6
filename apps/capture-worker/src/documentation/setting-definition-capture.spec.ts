import { settingDefinitionIds, toSettingDefinitionView } from './setting-definition-capture.js';

describe('setting definitions for the as-built documentation', () => {
  it('finds every definition id a settings catalog snapshot uses, children of groups and choices included', () => {
    const snapshot = {
      name: 'Baseline',
      settings: [
        { id: '0', settingInstance: { settingDefinitionId: 'choice', choiceSettingValue: { value: 'choice_1', children: [{ settingDefinitionId: 'choice_child', simpleSettingValue: { value: 1 } }] } } },
        { id: '1', settingInstance: { settingDefinitionId: 'group', groupSettingCollectionValue: [{ children: [{ settingDefinitionId: 'group_a' }] }, { children: [{ settingDefinitionId: 'group_a' }, { settingDefinitionId: 'group_b' }] }] } },
        { id: '2', settingInstance: { settingDefinitionId: '' } },
      ],
    };
    expect([...settingDefinitionIds(snapshot)]).toEqual(['choice', 'choice_child', 'group', 'group_a', 'group_b']);
    expect(settingDefinitionIds({ displayName: 'Device restrictions', passwordRequired: true }).size).toBe(0);
  });

  it("keeps a definition's names and its options' names, nothing Graph adds beyond them", () => {
    expect(
      toSettingDefinitionView({
        '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingDefinition',
        id: 'choice',
        name: 'Choice',
        displayName: 'A choice',
        description: 'What it does',
        helpText: 'ignored',
        options: [{ itemId: 'choice_0', name: 'off', displayName: 'Off', optionValue: { value: 0 } }, { name: 'no item id' }],
      }),
    ).toEqual({
      id: 'choice',
      name: 'Choice',
      displayName: 'A choice',
      description: 'What it does',
      odataType: '#microsoft.graph.deviceManagementConfigurationChoiceSettingDefinition',
      options: [{ itemId: 'choice_0', name: 'off', displayName: 'Off' }],
    });
  });
});

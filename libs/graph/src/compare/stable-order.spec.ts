import { inStableOrder } from './stable-order.js';

const setting = (definitionId: string, value: string, id = `server-${definitionId}`) => ({
  id,
  settingInstance: { settingDefinitionId: definitionId, choiceSettingValue: { value, children: [] } },
});

describe('inStableOrder', () => {
  it('orders settings by setting definition, whatever order Graph returned them in', () => {
    const forward = { settings: [setting('b', '1'), setting('a', '2'), setting('c', '3')] };
    const backward = { settings: [setting('c', '3'), setting('a', '2'), setting('b', '1')] };
    expect(inStableOrder(forward)).toEqual(inStableOrder(backward));
    expect((inStableOrder(forward).settings as Array<{ settingInstance: { settingDefinitionId: string } }>).map((entry) => entry.settingInstance.settingDefinitionId)).toEqual(['a', 'b', 'c']);
  });

  it('keys OMA settings, definition values, apps, scheduled actions and assignments; scope tag ids as a set', () => {
    const object = {
      omaSettings: [{ omaUri: './z' }, { omaUri: './a' }],
      definitionValues: [{ definition: { id: 'd2' }, presentationValues: [{ presentation: { id: 'p2' } }, { presentation: { id: 'p1' } }] }, { definition: { id: 'd1' } }],
      apps: [{ mobileAppIdentifier: { packageId: 'com.z' } }, { mobileAppIdentifier: { bundleId: 'com.a' } }],
      scheduledActionsForRule: [{ ruleName: 'PasswordRequired', scheduledActionConfigurations: [{ actionType: 'notification' }, { actionType: 'block' }] }],
      assignments: [{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'g2' } }, { target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'g1' } }],
      roleScopeTagIds: ['7', '0'],
    };
    const ordered = inStableOrder(object);
    expect(ordered.omaSettings.map((entry) => entry.omaUri)).toEqual(['./a', './z']);
    expect(ordered.definitionValues.map((entry) => entry.definition.id)).toEqual(['d1', 'd2']);
    expect(ordered.definitionValues[1].presentationValues!.map((entry) => entry.presentation.id)).toEqual(['p1', 'p2']);
    expect(ordered.apps.map((entry) => Object.values(entry.mobileAppIdentifier)[0])).toEqual(['com.a', 'com.z']);
    expect(ordered.scheduledActionsForRule[0].scheduledActionConfigurations.map((entry) => entry.actionType)).toEqual(['block', 'notification']);
    expect(ordered.assignments.map((entry) => entry.target.groupId)).toEqual(['g1', 'g2']);
    expect(ordered.roleScopeTagIds).toEqual(['0', '7']);
  });

  it('orders elements with equal keys by their content without server ids, and leaves other arrays as they are', () => {
    const a = { omaSettings: [{ id: 'x', omaUri: './same', value: 2 }, { id: 'y', omaUri: './same', value: 1 }], ordered: [3, 1, 2] };
    const b = { omaSettings: [{ id: 'q', omaUri: './same', value: 1 }, { id: 'r', omaUri: './same', value: 2 }], ordered: [3, 1, 2] };
    expect(inStableOrder(a).omaSettings.map((entry) => entry.value)).toEqual([1, 2]);
    expect(inStableOrder(b).omaSettings.map((entry) => entry.value)).toEqual([1, 2]);
    expect(inStableOrder(a).ordered).toEqual([3, 1, 2]);
  });

  it('does not change its input', () => {
    const object = { settings: [setting('b', '1'), setting('a', '2')] };
    const copy = structuredClone(object);
    inStableOrder(object);
    expect(object).toEqual(copy);
  });
});

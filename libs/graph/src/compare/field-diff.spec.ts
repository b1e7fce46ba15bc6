import { diffFields } from './field-diff.js';

describe('diffFields', () => {
  it('names each changed leaf by its JSON path, arrays by position', () => {
    const live = { displayName: 'A', settings: [{ settingInstance: { choiceSettingValue: { value: 'on' } } }, { x: 1 }], extra: true };
    const snapshot = { displayName: 'A', settings: [{ settingInstance: { choiceSettingValue: { value: 'off' } } }, { x: 1 }, { x: 2 }], description: 'd' };
    expect(diffFields(live, snapshot)).toEqual([
      { path: 'settings[0].settingInstance.choiceSettingValue.value', live: 'on', snapshot: 'off' },
      { path: 'settings[2]', snapshot: { x: 2 } },
      { path: 'description', snapshot: 'd' },
      { path: 'extra', live: true },
    ]);
  });

  it('treats null and absent as the same, and equal values as no difference', () => {
    expect(diffFields({ a: null, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }] })).toEqual([]);
  });

  it('reports a type change as one difference', () => {
    expect(diffFields({ a: { b: 1 } }, { a: [1] })).toEqual([{ path: 'a', live: { b: 1 }, snapshot: [1] }]);
  });
});

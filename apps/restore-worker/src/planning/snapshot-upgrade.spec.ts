import { upgradeSnapshots } from './snapshot-upgrade.js';

describe('upgradeSnapshots (administrative templates captured before presentations were expanded)', () => {
  it('gives each presentation value the next presentation of its kind, read from the definition', async () => {
    const paths: string[] = [];
    const client = {
      listAll: async (path: string) => {
        paths.push(path);
        return [
          { '@odata.type': '#microsoft.graph.groupPolicyPresentationText', id: 'label' },
          { '@odata.type': '#microsoft.graph.groupPolicyPresentationTextBox', id: 'box' },
          { '@odata.type': '#microsoft.graph.groupPolicyPresentationCheckBox', id: 'check' },
        ];
      },
    };
    const old = {
      backupItemId: 'b',
      policyType: 'administrativeTemplate',
      graphId: 't',
      displayName: 'ADMX',
      snapshot: {
        definitionValues: [
          {
            enabled: true,
            definition: { id: 'def-a' },
            presentationValues: [
              { '@odata.type': '#microsoft.graph.groupPolicyPresentationValueText', value: 'x' },
              { '@odata.type': '#microsoft.graph.groupPolicyPresentationValueBoolean', value: true },
            ],
          },
        ],
      },
    };
    const [upgraded] = await upgradeSnapshots(client as never, [old]);
    expect(paths).toEqual(["/beta/deviceManagement/groupPolicyDefinitions('def-a')/presentations"]);
    const values = (upgraded.snapshot.definitionValues as unknown as Array<{ presentationValues: Array<{ presentation: { id: string } }> }>)[0].presentationValues;
    expect(values.map((value) => value.presentation.id)).toEqual(['box', 'check']);
  });

  it('leaves current snapshots and other types untouched without reading Graph', async () => {
    const client = { listAll: () => Promise.reject(new Error('not expected')) };
    const current = { backupItemId: 'b', policyType: 'administrativeTemplate', graphId: 't', displayName: 'A', snapshot: { definitionValues: [{ definition: { id: 'd' }, presentationValues: [{ presentation: { id: 'p' } }] }] } };
    const other = { backupItemId: 'c', policyType: 'deviceConfiguration', graphId: 'd', displayName: 'D', snapshot: {} };
    expect(await upgradeSnapshots(client as never, [current, other])).toEqual([current, other]);
  });
});

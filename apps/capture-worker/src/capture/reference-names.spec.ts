import { SafeErrorCode } from '@policyvault/contracts';
import { GraphError, type BatchItemResult, type BatchRequestItem, type GraphClient } from '@policyvault/graph';
import { ReferenceNameReader, referencedIds } from './reference-names.js';

const compliance = {
  '@odata.type': '#microsoft.graph.windows10CompliancePolicy',
  id: 'policy-1',
  displayName: 'Compliance',
  roleScopeTagIds: ['0', 'tag-emea'],
  scheduledActionsForRule: [
    {
      ruleName: 'PasswordRequired',
      scheduledActionConfigurations: [
        { actionType: 'block', notificationTemplateId: '00000000-0000-0000-0000-000000000000' },
        { actionType: 'notification', notificationTemplateId: 'template-1' },
      ],
    },
  ],
  assignments: [
    { id: 'a1', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'group-laptops', deviceAndAppManagementAssignmentFilterId: 'filter-1', deviceAndAppManagementAssignmentFilterType: 'include' } },
    { id: 'a2', target: { '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget', groupId: 'group-deleted' } },
  ],
};
const filter = { id: 'filter-2', displayName: 'Kiosks', roleScopeTags: ['tag-apac'] };

function client() {
  const batches: BatchRequestItem[][] = [];
  const listings: string[] = [];
  const lists: Record<string, unknown[]> = {
    '/beta/deviceManagement/roleScopeTags': [
      { id: '0', displayName: 'Default' },
      { id: 'tag-emea', displayName: 'EMEA' },
      { id: 'tag-apac', displayName: 'APAC' },
    ],
    '/beta/deviceManagement/assignmentFilters': [{ id: 'filter-1', displayName: 'Corporate Windows' }, filter],
    '/beta/deviceManagement/notificationMessageTemplates': [{ id: 'template-1', displayName: 'Non-compliant notice' }],
  };
  const fake = {
    async listAll(path: string) {
      listings.push(path);
      return lists[path.split('?')[0]];
    },
    async batch(_version: string, items: BatchRequestItem[]): Promise<BatchItemResult[]> {
      batches.push(items);
      return items.map((item) =>
        item.url.startsWith('/groups/group-laptops')
          ? { id: item.id, ok: true, status: 200, body: { id: 'group-laptops', displayName: 'All laptops' } }
          : { id: item.id, ok: false, error: new GraphError({ code: SafeErrorCode.GraphNotFound, httpStatus: 404 }) },
      );
    },
  };
  return { client: fake as unknown as GraphClient, batches, listings };
}

describe('reference names at capture', () => {
  it('finds every referenced id by kind (the empty template id Intune writes is no reference)', () => {
    const ids = referencedIds(compliance);
    expect(Object.fromEntries(Object.entries(ids).map(([kind, set]) => [kind, [...set]]))).toEqual({
      group: ['group-laptops', 'group-deleted'],
      scopeTag: ['0', 'tag-emea'],
      filter: ['filter-1'],
      notificationTemplate: ['template-1'],
    });
    expect([...referencedIds(filter).scopeTag]).toEqual(['tag-apac']);
    // Conditional Access names groups in its conditions, not in assignments.
    const policy = { conditions: { users: { includeGroups: ['g-in'], excludeGroups: ['g-out', ''], includeUsers: ['All'] } } };
    expect([...referencedIds(policy).group]).toEqual(['g-in', 'g-out']);
  });

  it('counts the groups a compliance notification copies as group references', () => {
    const copied = { scheduledActionsForRule: [{ scheduledActionConfigurations: [{ actionType: 'notification', notificationMessageCCList: ['group-hr', ''] }] }] };
    expect([...referencedIds(copied).group]).toEqual(['group-hr']);
  });

  it("an Intune role assignment's members and scope members are groups", () => {
    const assignment = { '@odata.type': '#microsoft.graph.deviceAndAppManagementRoleAssignment', members: ['g-helpdesk'], scopeMembers: ['g-emea', ''], roleScopeTagIds: ['tag-emea'] };
    expect([...referencedIds(assignment).group].sort()).toEqual(['g-emea', 'g-helpdesk']);
    // The same keys mean nothing on other objects.
    expect([...referencedIds({ ...assignment, '@odata.type': '#microsoft.graph.windows10CustomConfiguration' }).group]).toEqual([]);
  });

  it('reads group names through one $batch of GET /groups/{id}, lists the others once per run; a deleted group has no name', async () => {
    const graph = client();
    const reader = new ReferenceNameReader(graph.client);
    const [names, filterNames] = await reader.namesFor([compliance, filter]);
    expect(names).toEqual({
      group: { 'group-laptops': 'All laptops' },
      scopeTag: { '0': 'Default', 'tag-emea': 'EMEA' },
      filter: { 'filter-1': 'Corporate Windows' },
      notificationTemplate: { 'template-1': 'Non-compliant notice' },
    });
    expect(filterNames).toEqual({ scopeTag: { 'tag-apac': 'APAC' } });
    expect(graph.batches).toEqual([
      [
        { id: '0', method: 'GET', url: '/groups/group-laptops?$select=id,displayName' },
        { id: '1', method: 'GET', url: '/groups/group-deleted?$select=id,displayName' },
      ],
    ]);
    // A second chunk of the same run asks Graph nothing new.
    await reader.namesFor([compliance]);
    expect(graph.batches).toHaveLength(1);
    expect(graph.listings).toHaveLength(3);
    // The captured object itself is not changed.
    expect(compliance.roleScopeTagIds).toEqual(['0', 'tag-emea']);
  });

  it('reads a group once when chunks read at the same time reference it; a failed read is tried again by the next chunk', async () => {
    const graph = client();
    const reader = new ReferenceNameReader(graph.client);
    const other = { id: 'policy-2', assignments: [{ id: 'a3', target: { groupId: 'group-laptops' } }, { id: 'a4', target: { groupId: 'group-kiosks' } }] };
    const [[first], [second]] = await Promise.all([reader.namesFor([compliance]), reader.namesFor([other])]);
    expect(first.group).toEqual({ 'group-laptops': 'All laptops' });
    expect(second.group).toEqual({ 'group-laptops': 'All laptops' });
    // The second chunk asked only for the group the first was not reading.
    expect(graph.batches.map((batch) => batch.map((item) => item.url.split('?')[0]))).toEqual([['/groups/group-laptops', '/groups/group-deleted'], ['/groups/group-kiosks']]);

    const answering = client();
    let down = true;
    const flaky = {
      batch: async (version: string, items: BatchRequestItem[]) => {
        if (down) throw new GraphError({ code: SafeErrorCode.GraphUnavailable, httpStatus: 503 });
        return answering.client.batch(version as 'v1.0', items);
      },
    } as unknown as GraphClient;
    const failing = new ReferenceNameReader(flaky);
    const attempts = await Promise.allSettled([failing.namesFor([other]), failing.namesFor([other])]);
    expect(attempts.map((attempt) => attempt.status)).toEqual(['rejected', 'rejected']);
    // What failed is not remembered as read: the next chunk asks again.
    down = false;
    const [again] = await failing.namesFor([other]);
    expect(again.group).toEqual({ 'group-laptops': 'All laptops' });
    expect(answering.batches).toHaveLength(1);
  });
});

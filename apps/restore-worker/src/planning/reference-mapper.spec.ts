import type { CapturedReferences } from '@policyvault/contracts';
import { fakeGraph } from '../../test/fake-graph-client.js';
import { AssignmentMapper } from './assignment-mapper.js';
import { ReferenceMapper } from './reference-mapper.js';

const groupsNamed = (name: string) => `/v1.0/groups?$filter=${encodeURIComponent(`displayName eq '${name.replace(/'/g, "''")}'`)}&$select=id,displayName`;
const INCLUDE = '#microsoft.graph.groupAssignmentTarget';
const EXCLUDE = '#microsoft.graph.exclusionGroupAssignmentTarget';

/** The target tenant (Fabrikam): its scope tags, filters, templates and groups. */
function target() {
  return fakeGraph(
    {
      '/deviceManagement/roleScopeTags': [
        { id: '0', displayName: 'Default', isBuiltIn: true },
        { id: 'fab-tag-emea', displayName: 'EMEA' },
        { id: 'fab-tag-dup-1', displayName: 'Twice' },
        { id: 'fab-tag-dup-2', displayName: 'Twice' },
      ],
      '/deviceManagement/assignmentFilters': [{ id: 'fab-filter', displayName: 'Corporate Windows' }],
      '/deviceManagement/notificationMessageTemplates': [{ id: 'fab-template', displayName: 'Non-compliant notice' }],
    },
    {
      [groupsNamed('All laptops')]: [{ id: 'fab-laptops', displayName: 'All laptops' }],
      [groupsNamed("O'Brien team")]: [{ id: 'fab-obrien', displayName: "O'Brien team" }],
      [groupsNamed('Pilot')]: [
        { id: 'fab-pilot-1', displayName: 'Pilot' },
        { id: 'fab-pilot-2', displayName: 'Pilot' },
      ],
      [groupsNamed('Only in Contoso')]: [],
    },
  );
}

const names: CapturedReferences = {
  group: { 'c-laptops': 'All laptops', 'c-obrien': "O'Brien team", 'c-pilot': 'Pilot', 'c-only': 'Only in Contoso' },
  scopeTag: { 'c-tag-emea': 'EMEA', 'c-tag-dup': 'Twice', 'c-tag-gone': 'APAC' },
  filter: { 'c-filter': 'Corporate Windows', 'c-filter-gone': 'Kiosks' },
  notificationTemplate: { 'c-template': 'Non-compliant notice', 'c-template-gone': 'Old notice' },
};

describe('ReferenceMapper (across tenants, by name)', () => {
  it('groups: exactly one group with the name maps; none or several stay unmapped with the reason; quotes escaped as OData wants', async () => {
    const graph = target();
    const mapper = new ReferenceMapper(graph.client, true);
    expect(await mapper.resolve('group', 'c-laptops', names)).toEqual({ mapped: true, id: 'fab-laptops' });
    expect(await mapper.resolve('group', 'c-obrien', names)).toEqual({ mapped: true, id: 'fab-obrien' });
    expect(await mapper.resolve('group', 'c-pilot', names)).toEqual({ mapped: false, reason: 'several_in_target_tenant', name: 'Pilot' });
    expect(await mapper.resolve('group', 'c-only', names)).toEqual({ mapped: false, reason: 'not_in_target_tenant', name: 'Only in Contoso' });
    expect(await mapper.resolve('group', 'c-unnamed', names)).toEqual({ mapped: false, reason: 'name_not_captured', name: null });
    // Looked up once per name for the run.
    await mapper.resolve('group', 'c-laptops', names);
    expect(graph.requests.filter((path) => path === groupsNamed('All laptops'))).toHaveLength(1);
  });

  it('an object: scope tag ids remapped everywhere (built-in 0 kept), unmapped tags left out and reported; notification templates mapped, an action with an unmapped one left out', async () => {
    const mapper = new ReferenceMapper(target().client, true);
    const snapshot = {
      '@odata.type': '#microsoft.graph.windows10CompliancePolicy',
      displayName: 'Compliance',
      roleScopeTagIds: ['0', 'c-tag-emea', 'c-tag-gone', 'c-tag-dup'],
      scheduledActionsForRule: [
        {
          ruleName: 'PasswordRequired',
          scheduledActionConfigurations: [
            { actionType: 'block', gracePeriodHours: 0, notificationTemplateId: '00000000-0000-0000-0000-000000000000' },
            { actionType: 'notification', gracePeriodHours: 24, notificationTemplateId: 'c-template' },
            { actionType: 'notification', gracePeriodHours: 48, notificationTemplateId: 'c-template-gone' },
          ],
        },
      ],
      assignments: [{ target: { '@odata.type': INCLUDE, groupId: 'c-laptops' } }],
    };
    const before = structuredClone(snapshot);
    const { snapshot: mapped, unmapped } = await mapper.mapObject(snapshot, names);
    expect(mapped).toEqual({
      ...snapshot,
      roleScopeTagIds: ['0', 'fab-tag-emea'],
      scheduledActionsForRule: [
        {
          ruleName: 'PasswordRequired',
          scheduledActionConfigurations: [
            { actionType: 'block', gracePeriodHours: 0, notificationTemplateId: '00000000-0000-0000-0000-000000000000' },
            { actionType: 'notification', gracePeriodHours: 24, notificationTemplateId: 'fab-template' },
          ],
        },
      ],
    });
    // Assignments are AssignmentMapper's; the snapshot given is not changed.
    expect(mapped.assignments).toBe(snapshot.assignments);
    expect(snapshot).toEqual(before);
    expect(unmapped).toEqual([
      { kind: 'scopeTag', id: 'c-tag-gone', name: 'APAC', reason: 'not_in_target_tenant', blocking: false },
      { kind: 'scopeTag', id: 'c-tag-dup', name: 'Twice', reason: 'several_in_target_tenant', blocking: false },
      { kind: 'notificationTemplate', id: 'c-template-gone', name: 'Old notice', reason: 'not_in_target_tenant', blocking: false },
    ]);
  });

  it("an object left without any mapped scope tag gets the built-in one; filters' `roleScopeTags` are mapped too", async () => {
    const mapper = new ReferenceMapper(target().client, true);
    expect((await mapper.mapObject({ roleScopeTagIds: ['c-tag-gone'] }, names)).snapshot).toEqual({ roleScopeTagIds: ['0'] });
    expect((await mapper.mapObject({ displayName: 'F', roleScopeTags: ['c-tag-emea'] }, names)).snapshot).toEqual({ displayName: 'F', roleScopeTags: ['fab-tag-emea'] });
  });

  it('names missing on the item fall back to the set\'s foundation items', async () => {
    const mapper = new ReferenceMapper(target().client, true, { scopeTag: { 'c-tag-x': 'EMEA' } });
    expect(await mapper.resolve('scopeTag', 'c-tag-x', {})).toEqual({ mapped: true, id: 'fab-tag-emea' });
  });

  it('same tenant: group and template ids stand without asking Graph; a scope tag or filter that is gone is found by name (a restore may re-create it)', async () => {
    const graph = target();
    const mapper = new ReferenceMapper(graph.client, false);
    expect(await mapper.resolve('group', 'c-only', names)).toEqual({ mapped: true, id: 'c-only' });
    expect(await mapper.resolve('notificationTemplate', 'c-template-gone', names)).toEqual({ mapped: true, id: 'c-template-gone' });
    expect(graph.requests).toEqual([]);
    expect(await mapper.resolve('scopeTag', 'fab-tag-emea', {})).toEqual({ mapped: true, id: 'fab-tag-emea' });
    expect(await mapper.resolve('filter', 'c-filter', names)).toEqual({ mapped: true, id: 'fab-filter' });
    const unchanged = { displayName: 'D', roleScopeTagIds: ['0'] };
    expect((await mapper.mapObject(unchanged, {})).snapshot).toBe(unchanged);
  });
});

describe('AssignmentMapper (across tenants)', () => {
  it('maps groups and filters by name; an unmapped inclusion is dropped, an unmapped exclusion or filter blocks', async () => {
    const mapper = new AssignmentMapper(target().client, true);
    const mapped = await mapper.map(
      [
        { id: 'x_1', target: { '@odata.type': INCLUDE, groupId: 'c-laptops', deviceAndAppManagementAssignmentFilterId: 'c-filter', deviceAndAppManagementAssignmentFilterType: 'include' } },
        { id: 'x_2', target: { '@odata.type': INCLUDE, groupId: 'c-pilot' } },
      ],
      names,
    );
    expect(mapped).toEqual({
      mapped: [{ target: { '@odata.type': INCLUDE, groupId: 'fab-laptops', deviceAndAppManagementAssignmentFilterId: 'fab-filter', deviceAndAppManagementAssignmentFilterType: 'include' } }],
      unmapped: [{ kind: 'group', id: 'c-pilot', name: 'Pilot', reason: 'several_in_target_tenant', blocking: false }],
      blocked: false,
    });
    const excluded = await mapper.map([{ target: { '@odata.type': EXCLUDE, groupId: 'c-only' } }], names);
    expect(excluded).toMatchObject({ blocked: true, unmapped: [{ kind: 'group', id: 'c-only', reason: 'not_in_target_tenant', blocking: true }] });
    const filtered = await mapper.map([{ target: { '@odata.type': INCLUDE, groupId: 'c-laptops', deviceAndAppManagementAssignmentFilterId: 'c-filter-gone', deviceAndAppManagementAssignmentFilterType: 'exclude' } }], names);
    expect(filtered).toMatchObject({ blocked: true, mapped: [], unmapped: [{ kind: 'filter', id: 'c-filter-gone', name: 'Kiosks', blocking: true }] });
  });
});

describe('ReferenceMapper: groups a Conditional Access policy names', () => {
  const policy = {
    displayName: 'MFA for laptops',
    state: 'enabledForReportingButNotEnforced',
    conditions: { users: { includeGroups: ['c-laptops', 'c-only'], excludeGroups: ['c-obrien'], includeUsers: [] } },
  };

  it('maps include and exclude groups by name into another tenant, leaves out (and reports) the ones it cannot', async () => {
    const mapped = await new ReferenceMapper(target().client, true).mapObject(policy, names);
    expect((mapped.snapshot.conditions as { users: unknown }).users).toEqual({ includeGroups: ['fab-laptops'], excludeGroups: ['fab-obrien'], includeUsers: [] });
    expect(mapped.unmapped).toEqual([{ kind: 'group', id: 'c-only', name: 'Only in Contoso', reason: 'not_in_target_tenant', blocking: false }]);
  });

  it('keeps the ids in the same tenant without asking Graph', async () => {
    const graph = target();
    const mapped = await new ReferenceMapper(graph.client, false).mapObject(policy, names);
    expect(mapped.snapshot.conditions).toEqual(policy.conditions);
    expect(graph.requests).toEqual([]);
  });
});

describe('ReferenceMapper: Intune role assignments in another tenant', () => {
  const graph = () => {
    const fake = target();
    const listAll = fake.client.listAll.bind(fake.client);
    (fake.client as { listAll: unknown }).listAll = async (path: string) =>
      path === '/beta/deviceManagement/roleDefinitions?$select=id,displayName'
        ? [{ id: 'builtin-helpdesk', displayName: 'Help Desk Operator' }, { id: 'fab-custom', displayName: 'Config readers' }]
        : listAll(path);
    return fake;
  };
  const assignment = (roleDefinition: Record<string, unknown>) => ({
    '@odata.type': '#microsoft.graph.deviceAndAppManagementRoleAssignment',
    id: 'c-assignment',
    displayName: 'Regional help desk',
    members: ['c-laptops', 'c-only'],
    scopeMembers: ['c-obrien'],
    roleScopeTagIds: ['c-tag-emea'],
    roleDefinition,
  });

  it('maps member groups by name, scope tags by name, a custom role by name; unmapped groups are left out and reported', async () => {
    const { snapshot, unmapped } = await new ReferenceMapper(graph().client, true).mapObject(assignment({ id: 'c-custom', displayName: 'Config readers', isBuiltIn: false }), names);
    expect(snapshot).toMatchObject({ members: ['fab-laptops'], scopeMembers: ['fab-obrien'], roleScopeTagIds: ['fab-tag-emea'], roleDefinition: { id: 'fab-custom', displayName: 'Config readers' } });
    expect(unmapped).toEqual([{ kind: 'group', id: 'c-only', name: 'Only in Contoso', reason: 'not_in_target_tenant', blocking: false }]);
  });

  it('keeps a built-in role; a custom role the target lacks leaves none (the write then skips the item)', async () => {
    const mapper = new ReferenceMapper(graph().client, true);
    expect((await mapper.mapObject(assignment({ id: 'builtin-helpdesk', displayName: 'Help Desk Operator', isBuiltIn: true }), names)).snapshot.roleDefinition).toMatchObject({ id: 'builtin-helpdesk' });
    expect((await mapper.mapObject(assignment({ id: 'c-other', displayName: 'Only here', isBuiltIn: false }), names)).snapshot.roleDefinition).toBeNull();
  });
});

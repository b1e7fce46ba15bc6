import { GROUP_POLICY_DEFINITIONS, INTENT_TEMPLATES, startGraphEmulator, type RunningGraphEmulator } from '../src/index.js';
import { newTenantId } from './emulator-harness.js';
import { errorOf, GraphTestClient } from './graph-test-client.js';

const beta = '/beta/deviceManagement';
const block = { actionType: 'block', gracePeriodHours: 0, notificationTemplateId: '', notificationMessageCCList: [] };

describe('Graph emulator: Intune write validation and special endpoints', () => {
  let emulator: RunningGraphEmulator;
  let graph: GraphTestClient;
  let tenant: string;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    graph = new GraphTestClient(emulator);
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: { policiesPerType: 0 } });
  });

  it('refuses unknown, read-only and navigation properties, action entries and annotations, naming the property', async () => {
    const path = `${beta}/deviceConfigurations`;
    const valid = { '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', displayName: 'Baseline', passwordRequired: true };
    const refusals: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...valid, foo: 1 }, /property 'foo' does not exist on type 'microsoft\.graph\.windows10GeneralConfiguration'/],
      [{ ...valid, supportsScopeTags: true }, /property 'supportsScopeTags' is read-only/],
      [{ ...valid, id: 'mine' }, /property 'id' is read-only/],
      [{ ...valid, assignments: [] }, /navigation property 'assignments' cannot be written/],
      [{ ...valid, '#microsoft.graph.assign': { target: '...' } }, /'#microsoft\.graph\.assign'/],
      [{ ...valid, '@odata.context': 'x' }, /annotation '@odata\.context'/],
      [{ ...valid, 'assignments@odata.navigationLink': 'x' }, /annotation 'assignments@odata\.navigationLink'/],
      [{ ...valid, '@odata.type': '#microsoft.graph.windows10CompliancePolicy' }, /not derived from 'microsoft\.graph\.deviceConfiguration'/],
      [{ displayName: 'no type' }, /abstract type 'microsoft\.graph\.deviceConfiguration'/],
      [{ ...valid, '@odata.type': '#microsoft.graph.windows10CustomConfiguration', passwordRequired: undefined, omaSettings: [{ '@odata.type': '#microsoft.graph.omaSettingString', displayName: 'x', omaUri: './x', value: 'v', 'value@odata.type': '#String' }] }, /annotation 'omaSettings\[0\]\.value@odata\.type'/],
    ];
    for (const [body, message] of refusals) {
      const response = await graph.call(tenant, 'POST', path, body);
      expect(response.status).toBe(400);
      expect(errorOf(response)).toMatchObject({ code: 'ModelValidationFailure', message: expect.stringMatching(message) });
      expect(response.body).toMatchObject({ error: { innerError: { 'request-id': expect.any(String), date: expect.any(String) } } });
    }
    const created = await graph.ok(tenant, 'POST', path, valid);
    expect(created).toMatchObject({ id: expect.any(String), version: 1, passwordRequired: true });
    const update = await graph.call(tenant, 'PATCH', `${path}/${String(created.id)}`, { lastModifiedDateTime: '2020-01-01T00:00:00Z' });
    expect(errorOf(update).message).toMatch(/'lastModifiedDateTime' is read-only/);
  });

  it('compliance: needs a block action, reads actions only through nested $expand, and changes them with scheduleActionsForRules', async () => {
    const path = `${beta}/deviceCompliancePolicies`;
    const policy = { '@odata.type': '#microsoft.graph.windows10CompliancePolicy', displayName: 'Compliant', passwordRequired: true };
    expect(errorOf(await graph.call(tenant, 'POST', path, policy)).message).toMatch(/actionType 'block'/);
    const nestedUnknown = await graph.call(tenant, 'POST', path, { ...policy, scheduledActionsForRule: [{ ruleName: 'r', scheduledActionConfigurations: [{ ...block, colour: 'red' }] }] });
    expect(errorOf(nestedUnknown).message).toMatch(/scheduledActionsForRule\[0\]\.scheduledActionConfigurations\[0\]\.colour' does not exist on type 'microsoft\.graph\.deviceComplianceActionItem'/);
    const created = await graph.ok(tenant, 'POST', path, { ...policy, scheduledActionsForRule: [{ ruleName: 'PasswordRequired', scheduledActionConfigurations: [block] }] });
    const id = String(created.id);

    const expanded = await graph.ok(tenant, 'GET', `${path}/${id}?$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)`);
    expect(expanded.scheduledActionsForRule).toEqual([{ id: expect.any(String), ruleName: 'PasswordRequired', scheduledActionConfigurations: [{ id: expect.any(String), ...block }] }]);
    const shallow = await graph.ok(tenant, 'GET', `${path}/${id}?$expand=scheduledActionsForRule`);
    expect((shallow.scheduledActionsForRule as Array<Record<string, unknown>>)[0]).not.toHaveProperty('scheduledActionConfigurations');
    const listed = await graph.list(tenant, `${path}?$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)`);
    expect(listed[0].scheduledActionsForRule).toEqual(expanded.scheduledActionsForRule);
    expect((await graph.call(tenant, 'GET', `${path}/${id}/scheduledActionsForRule`)).status).toBe(400);
    expect((await graph.call(tenant, 'PATCH', `${path}/${id}`, { scheduledActionsForRule: [] })).status).toBe(400);

    const notify = { actionType: 'notification', gracePeriodHours: 48, notificationTemplateId: '', notificationMessageCCList: [] };
    const actions = `${path}/${id}/scheduleActionsForRules`;
    expect((await graph.call(tenant, 'POST', actions, { deviceComplianceScheduledActionForRules: [{ ruleName: 'PasswordRequired', scheduledActionConfigurations: [notify] }] })).status).toBe(400);
    expect((await graph.call(tenant, 'POST', actions, { rules: [] })).status).toBe(400);
    expect((await graph.call(tenant, 'POST', actions, { deviceComplianceScheduledActionForRules: [{ ruleName: 'PasswordRequired', scheduledActionConfigurations: [block, notify] }] })).status).toBe(204);
    const after = await graph.ok(tenant, 'GET', `${path}/${id}?$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)`);
    expect((after.scheduledActionsForRule as Array<{ scheduledActionConfigurations: unknown[] }>)[0].scheduledActionConfigurations).toHaveLength(2);
  });

  it('intents: created from a template with createInstance, settings changed with updateSettings, categories from the template', async () => {
    const [template] = INTENT_TEMPLATES;
    const templateId = String(template.object.id);
    expect((await graph.list(tenant, `${beta}/templates`)).map((item) => item.id)).toContain(templateId);
    expect(errorOf(await graph.call(tenant, 'POST', `${beta}/intents`, { displayName: 'direct', templateId })).message).toMatch(/createInstance/);
    const { id: _templateSettingId, ...templateSetting } = template.settings[0];
    const changed: Record<string, unknown> = { ...templateSetting, value: false, valueJson: 'false' };
    const foreign = { '@odata.type': '#microsoft.graph.deviceManagementBooleanSettingInstance', definitionId: 'deviceConfiguration--notInThisTemplate', valueJson: 'true', value: true };
    const createInstance = `${beta}/templates/${templateId}/createInstance`;
    expect((await graph.call(tenant, 'POST', createInstance, { displayName: 'AV', settingsDelta: [foreign] })).status).toBe(400);
    expect((await graph.call(tenant, 'POST', createInstance, { displayName: 'AV', unknownParameter: 1 })).status).toBe(400);
    const intent = await graph.ok(tenant, 'POST', createInstance, { displayName: 'AV', description: 'Antivirus', settingsDelta: [changed], roleScopeTagIds: ['0'] });
    expect(intent).toMatchObject({ templateId, displayName: 'AV', isAssigned: false });
    const id = String(intent.id);

    const settings = await graph.list(tenant, `${beta}/intents/${id}/settings`);
    expect(settings).toHaveLength(template.settings.length);
    expect(settings.find((setting) => setting.definitionId === changed.definitionId)).toMatchObject({ value: false, valueJson: 'false' });
    const categories = await graph.list(tenant, `${beta}/intents/${id}/categories`);
    expect(categories.map((category) => category.displayName)).toEqual(template.categories.map((category) => category.object.displayName));
    const inCategory = await graph.list(tenant, `${beta}/intents/${id}/categories/${String(categories[0].id)}/settings`);
    expect(inCategory.map((setting) => setting.definitionId)).toEqual(template.categories[0].definitionIds);

    expect(errorOf(await graph.call(tenant, 'PATCH', `${beta}/intents/${id}`, { templateId: 'other' })).message).toMatch(/'templateId' is read-only/);
    expect(errorOf(await graph.call(tenant, 'PATCH', `${beta}/intents/${id}`, { settings: [] })).message).toMatch(/navigation property 'settings'/);
    expect((await graph.call(tenant, 'PATCH', `${beta}/intents/${id}`, { displayName: 'AV 2', description: 'x', roleScopeTagIds: ['0'] })).status).toBe(204);
    expect((await graph.call(tenant, 'POST', `${beta}/intents/${id}/updateSettings`, { settings: [foreign] })).status).toBe(400);
    const flipped = { ...changed, value: true, valueJson: 'true' };
    expect((await graph.call(tenant, 'POST', `${beta}/intents/${id}/updateSettings`, { settings: [flipped] })).status).toBe(204);
    const updated = await graph.list(tenant, `${beta}/intents/${id}/settings`);
    expect(updated.find((setting) => setting.definitionId === changed.definitionId)).toMatchObject({ value: true });
    expect(updated).toHaveLength(template.settings.length);
  });

  it('administrative templates: definition values through updateDefinitionValues with binds to this emulator only', async () => {
    const definition = GROUP_POLICY_DEFINITIONS.find((candidate) => candidate.presentations.length === 1)!;
    const definitionId = String(definition.object.id);
    const presentationId = String(definition.presentations[0].id);
    const base = `${emulator.url}/beta/deviceManagement`;
    const path = `${beta}/groupPolicyConfigurations`;
    expect((await graph.call(tenant, 'POST', path, { displayName: 'ADMX', definitionValues: [] })).status).toBe(400);
    const created = await graph.ok(tenant, 'POST', path, { displayName: 'ADMX', description: 'Edge', roleScopeTagIds: ['0'] });
    const id = String(created.id);
    const value = (bind: string, presentationBind: string) => ({
      enabled: true,
      'definition@odata.bind': bind,
      presentationValues: [{ '@odata.type': '#microsoft.graph.groupPolicyPresentationValueText', value: 'https://intranet', 'presentation@odata.bind': presentationBind }],
    });
    const definitionBind = `${base}/groupPolicyDefinitions('${definitionId}')`;
    const presentationBind = `${definitionBind}/presentations('${presentationId}')`;
    const update = `${path}/${id}/updateDefinitionValues`;
    const refused = [
      value(`https://graph.microsoft.com/beta/deviceManagement/groupPolicyDefinitions('${definitionId}')`, presentationBind),
      value(`${base}/groupPolicyDefinitions('00000000-0000-0000-0000-000000000000')`, presentationBind),
      value(definitionBind, `${definitionBind}/presentations('unknown')`),
      { ...value(definitionBind, presentationBind), 'definition@odata.context': 'x' },
    ];
    for (const added of refused) expect((await graph.call(tenant, 'POST', update, { added: [added], updated: [], deletedIds: [] })).status).toBe(400);
    expect((await graph.call(tenant, 'POST', update, { added: [value(definitionBind, presentationBind)], updated: [], deletedIds: [] })).status).toBe(204);
    expect((await graph.call(tenant, 'POST', update, { added: [value(definitionBind, presentationBind)] })).status).toBe(400);

    const values = await graph.list(tenant, `${path}/${id}/definitionValues?$expand=definition,presentationValues($expand=presentation)`);
    expect(values).toEqual([
      expect.objectContaining({
        enabled: true,
        definition: expect.objectContaining({ id: definitionId }),
        presentationValues: [expect.objectContaining({ value: 'https://intranet', presentation: expect.objectContaining({ id: presentationId }) })],
      }),
    ]);
    const bare = await graph.list(tenant, `${path}/${id}/definitionValues`);
    expect(bare[0]).not.toHaveProperty('definition');
    const presentationValueId = String((values[0].presentationValues as Array<{ id: string }>)[0].id);
    const changes = { updated: [{ id: values[0].id, enabled: false, presentationValues: [{ id: presentationValueId, '@odata.type': '#microsoft.graph.groupPolicyPresentationValueText', value: 'https://new' }] }] };
    expect((await graph.call(tenant, 'POST', update, changes)).status).toBe(204);
    const changed = await graph.list(tenant, `${path}/${id}/definitionValues?$expand=presentationValues`);
    expect(changed[0]).toMatchObject({ enabled: false, presentationValues: [expect.objectContaining({ value: 'https://new' })] });
    expect((await graph.call(tenant, 'POST', update, { deletedIds: [values[0].id] })).status).toBe(204);
    expect(await graph.list(tenant, `${path}/${id}/definitionValues`)).toEqual([]);
    expect((await graph.list(tenant, `${beta}/groupPolicyDefinitions('${definitionId}')/presentations`)).map((item) => item.id)).toEqual([presentationId]);
  });

  it('app protection: platform collections, apps through targetApps, every property round-trips', async () => {
    const path = '/beta/deviceAppManagement/iosManagedAppProtections';
    const body = { displayName: 'iOS MAM', description: 'x', targetedAppManagementLevels: 'unmanaged', pinRequired: true, minimumPinLength: 6, roleScopeTagIds: ['0'] };
    expect(errorOf(await graph.call(tenant, 'POST', path, { ...body, apps: [] })).message).toMatch(/navigation property 'apps'/);
    expect(errorOf(await graph.call(tenant, 'POST', path, { ...body, '@odata.type': '#microsoft.graph.androidManagedAppProtection' })).message).toMatch(/not derived from 'microsoft\.graph\.iosManagedAppProtection'/);
    expect((await graph.call(tenant, 'POST', '/beta/deviceAppManagement/managedAppPolicies', body)).status).toBe(405);
    const created = await graph.ok(tenant, 'POST', path, body);
    const id = String(created.id);
    expect(created).toMatchObject({ '@odata.type': '#microsoft.graph.iosManagedAppProtection', targetedAppManagementLevels: 'unmanaged' });
    const apps = { apps: [{ mobileAppIdentifier: { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: 'com.microsoft.outlook' } }], appGroupType: 'selectedPublicApps' };
    expect((await graph.call(tenant, 'POST', `${path}/${id}/targetApps`, apps)).status).toBe(204);
    const assignment = { target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'g-1' } };
    expect((await graph.call(tenant, 'POST', `${path}/${id}/assign`, { assignments: [assignment] })).status).toBe(200);
    const read = await graph.ok(tenant, 'GET', `${path}/${id}?$expand=apps,assignments`);
    expect(read).toMatchObject({ ...body, appGroupType: 'selectedPublicApps', apps: [expect.objectContaining(apps.apps[0])], assignments: [expect.objectContaining(assignment)] });
    expect((await graph.list(tenant, '/beta/deviceAppManagement/managedAppPolicies')).map((item) => item.id)).toContain(id);
    expect((await graph.call(tenant, 'GET', `/beta/deviceAppManagement/androidManagedAppProtections/${id}`)).status).toBe(404);
    expect((await graph.call(tenant, 'PATCH', `${path}/${id}`, { targetedAppManagementLevels: 'mdm', isAssigned: false })).status).toBe(400);
    expect((await graph.call(tenant, 'PATCH', `${path}/${id}`, { targetedAppManagementLevels: 'mdm' })).status).toBe(204);
    expect(await graph.ok(tenant, 'GET', `${path}/${id}`)).toMatchObject({ targetedAppManagementLevels: 'mdm' });
  });

  it('encrypted OMA settings read masked and in plaintext through getOmaSettingPlainTextValue', async () => {
    const path = `${beta}/deviceConfigurations`;
    const secret = { '@odata.type': '#microsoft.graph.omaSettingString', displayName: 'PSK', omaUri: './Vendor/MSFT/WiFi/Profile/Corp', isEncrypted: true, value: 'hunter2-psk' };
    const body = { '@odata.type': '#microsoft.graph.windows10CustomConfiguration', displayName: 'Wi-Fi', omaSettings: [secret] };
    expect(errorOf(await graph.call(tenant, 'POST', path, { ...body, omaSettings: [{ ...secret, secretReferenceValueId: 'x' }] })).message).toMatch(/'omaSettings\[0\]\.secretReferenceValueId' is read-only/);
    const created = await graph.ok(tenant, 'POST', path, body);
    const read = await graph.ok(tenant, 'GET', `${path}/${String(created.id)}`);
    const [masked] = read.omaSettings as Array<Record<string, unknown>>;
    expect(masked).toEqual({ ...secret, value: '****', secretReferenceValueId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(JSON.stringify(await graph.list(tenant, path))).not.toContain('hunter2-psk');
    const plain = await graph.ok(tenant, 'GET', `${path}/${String(created.id)}/getOmaSettingPlainTextValue(secretReferenceValueId='${String(masked.secretReferenceValueId)}')`);
    expect(plain.value).toBe('hunter2-psk');
    expect((await graph.call(tenant, 'GET', `${path}/${String(created.id)}/getOmaSettingPlainTextValue(secretReferenceValueId='00000000-0000-0000-0000-000000000000')`)).status).toBe(404);
    expect((await graph.call(tenant, 'POST', `${path}/${String(created.id)}/getOmaSettingPlainTextValue(secretReferenceValueId='x')`)).status).toBe(405);
  });

  it('enrollment priority changes only through setPriority; built-ins cannot be changed or deleted', async () => {
    const path = `${beta}/deviceEnrollmentConfigurations`;
    const created = await graph.ok(tenant, 'POST', path, { '@odata.type': '#microsoft.graph.deviceEnrollmentLimitConfiguration', displayName: 'Limit', limit: 5, priority: 3 });
    const id = String(created.id);
    expect(errorOf(await graph.call(tenant, 'PATCH', `${path}/${id}`, { priority: 1 })).message).toMatch(/'priority' is read-only/);
    expect((await graph.call(tenant, 'POST', `${path}/${id}/setPriority`, { priority: 1 })).status).toBe(204);
    expect(await graph.ok(tenant, 'GET', `${path}/${id}`)).toMatchObject({ priority: 1 });
    expect((await graph.call(tenant, 'POST', path, { '@odata.type': '#microsoft.graph.deviceEnrollmentLimitConfiguration', displayName: 'Zero', limit: 5, priority: 0 })).status).toBe(400);

    const defaults = (await graph.list(tenant, path)).filter((item) => item.priority === 0);
    expect(defaults.map((item) => String(item.id).split('_')[1]).sort()).toEqual(['DefaultPlatformRestrictions', 'DefaultWindows10EnrollmentCompletionPageConfiguration']);
    for (const builtIn of defaults) {
      expect((await graph.call(tenant, 'DELETE', `${path}/${String(builtIn.id)}`)).status).toBe(400);
      expect((await graph.call(tenant, 'POST', `${path}/${String(builtIn.id)}/setPriority`, { priority: 2 })).status).toBe(400);
    }
    expect((await graph.call(tenant, 'PATCH', `${beta}/roleScopeTags/0`, { description: 'mine' })).status).toBe(400);
    expect((await graph.call(tenant, 'DELETE', `${beta}/roleScopeTags/0`)).status).toBe(400);
    expect((await graph.call(tenant, 'POST', `${beta}/roleScopeTags`, { displayName: 'Default' })).status).toBe(400);
    const globalScript = (await graph.list(tenant, `${beta}/deviceHealthScripts`)).find((script) => script.isGlobalScript === true)!;
    expect((await graph.call(tenant, 'PATCH', `${beta}/deviceHealthScripts/${String(globalScript.id)}`, { description: 'x' })).status).toBe(400);
    expect((await graph.call(tenant, 'POST', `${beta}/deviceHealthScripts`, { displayName: 'x', isGlobalScript: true })).status).toBe(400);
  });

  it('Autopilot: assignments added and removed one by one; managementServiceAppId is read-only', async () => {
    const path = `${beta}/windowsAutopilotDeploymentProfiles`;
    const body = { '@odata.type': '#microsoft.graph.azureADWindowsAutopilotDeploymentProfile', displayName: 'AP', deviceNameTemplate: 'PV-%RAND:4%' };
    expect((await graph.call(tenant, 'POST', path, { ...body, managementServiceAppId: 'x' })).status).toBe(400);
    const id = String((await graph.ok(tenant, 'POST', path, body)).id);
    const target = { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'group-1' };
    const added = await graph.ok(tenant, 'POST', `${path}/${id}/assignments`, { target });
    expect(added).toMatchObject({ id: `${id}_group-1`, target });
    expect((await graph.call(tenant, 'POST', `${path}/${id}/assignments`, { target, colour: 1 })).status).toBe(400);
    expect(await graph.list(tenant, `${path}/${id}/assignments`)).toHaveLength(1);
    expect((await graph.call(tenant, 'DELETE', `${path}/${id}/assignments/${String(added.id)}`)).status).toBe(204);
    expect(await graph.list(tenant, `${path}/${id}/assignments`)).toHaveLength(0);
    expect((await graph.call(tenant, 'DELETE', `${path}/${id}/assignments/${String(added.id)}`)).status).toBe(404);
  });

  it('assignment filters keep their platform on update', async () => {
    const path = `${beta}/assignmentFilters`;
    const id = String((await graph.ok(tenant, 'POST', path, { displayName: 'Corp', platform: 'windows10AndLater', rule: '(device.deviceOwnership -eq "Corporate")' })).id);
    expect(errorOf(await graph.call(tenant, 'PATCH', `${path}/${id}`, { platform: 'iOS' })).message).toMatch(/'platform' is read-only/);
    expect((await graph.call(tenant, 'PATCH', `${path}/${id}`, { rule: '(device.model -contains "Surface")' })).status).toBe(204);
  });
});

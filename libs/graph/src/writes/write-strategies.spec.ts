import { POLICY_TYPE_CONTRACTS } from '../contracts/policy-type-contracts.js';
import { assignmentRequests, splitAssignments } from './assignment.writes.js';
import { UnwritableSnapshotError, type PlannedRequest, type UpdateInput, type WriteInput } from './planned-request.js';
import { writeStrategyFor } from './write-strategies.js';

const BASE = 'http://graph.test:3100';
const input = (type: string, snapshot: Record<string, unknown>): WriteInput => ({ contract: POLICY_TYPE_CONTRACTS[type], snapshot, graphBaseUrl: BASE });
const update = (type: string, snapshot: Record<string, unknown>, live: Record<string, unknown>, changed: string[]): UpdateInput => ({
  ...input(type, snapshot),
  liveId: 'live-1',
  live,
  changed: new Set(changed),
});
const shape = (requests: PlannedRequest[]) => requests.map(({ method, path, body, purpose }) => ({ method, path, purpose, keys: body ? Object.keys(body).sort() : null }));

describe('compliance policy writes', () => {
  const policy = {
    '@odata.type': '#microsoft.graph.windows10CompliancePolicy',
    id: 'c1',
    displayName: 'Compliance',
    passwordRequired: true,
    'scheduledActionsForRule@odata.context': 'x',
    scheduledActionsForRule: [
      { id: 'r1', ruleName: 'PasswordRequired', scheduledActionConfigurations: [{ id: 'a1', actionType: 'block', gracePeriodHours: 12, notificationTemplateId: '', notificationMessageCCList: [] }] },
    ],
  };

  it('creates with the scheduled actions inline (block action included)', () => {
    const [create] = writeStrategyFor('compliancePolicy').create(input('compliancePolicy', policy));
    expect(shape([create])).toEqual([{ method: 'POST', path: '/beta/deviceManagement/deviceCompliancePolicies', purpose: 'create', keys: ['@odata.type', 'displayName', 'passwordRequired', 'scheduledActionsForRule'] }]);
    expect(create.body!.scheduledActionsForRule).toEqual([
      { ruleName: 'PasswordRequired', scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: 12, notificationTemplateId: '', notificationMessageCCList: [] }] },
    ]);
  });

  it('adds a block action to a create whose snapshot has none', () => {
    const [create] = writeStrategyFor('compliancePolicy').create(input('compliancePolicy', { ...policy, scheduledActionsForRule: [] }));
    expect(create.body!.scheduledActionsForRule).toEqual([expect.objectContaining({ scheduledActionConfigurations: [expect.objectContaining({ actionType: 'block' })] })]);
  });

  it('updates with a PATCH without actions, then scheduleActionsForRules', () => {
    const requests = writeStrategyFor('compliancePolicy').update(update('compliancePolicy', policy, policy, ['passwordRequired', 'scheduledActionsForRule']));
    expect(shape(requests)).toEqual([
      { method: 'PATCH', path: '/beta/deviceManagement/deviceCompliancePolicies/live-1', purpose: 'update', keys: ['@odata.type', 'displayName', 'passwordRequired'] },
      { method: 'POST', path: '/beta/deviceManagement/deviceCompliancePolicies/live-1/scheduleActionsForRules', purpose: 'scheduled_actions', keys: ['deviceComplianceScheduledActionForRules'] },
    ]);
    expect(shape(writeStrategyFor('compliancePolicy').update(update('compliancePolicy', policy, policy, ['scheduledActionsForRule'])))).toHaveLength(1);
  });
});

describe('endpoint security intent writes', () => {
  const intent = {
    id: 'i1',
    displayName: 'Defender',
    description: 'AV',
    templateId: 'tpl-1',
    isAssigned: true,
    roleScopeTagIds: ['0'],
    settings: [{ '@odata.type': '#microsoft.graph.deviceManagementBooleanSettingInstance', id: 's1', definitionId: 'def', valueJson: 'true' }],
  };

  it('creates through the template with settingsDelta', () => {
    expect(shape(writeStrategyFor('endpointSecurityIntent').create(input('endpointSecurityIntent', intent)))).toEqual([
      { method: 'POST', path: '/beta/deviceManagement/templates/tpl-1/createInstance', purpose: 'create', keys: ['description', 'displayName', 'roleScopeTagIds', 'settingsDelta'] },
    ]);
    const [create] = writeStrategyFor('endpointSecurityIntent').create(input('endpointSecurityIntent', intent));
    expect(create.body!.settingsDelta).toEqual([{ '@odata.type': '#microsoft.graph.deviceManagementBooleanSettingInstance', definitionId: 'def', valueJson: 'true' }]);
  });

  it('updates name and tags by PATCH and settings by updateSettings', () => {
    expect(shape(writeStrategyFor('endpointSecurityIntent').update(update('endpointSecurityIntent', intent, intent, ['description', 'settings'])))).toEqual([
      { method: 'PATCH', path: '/beta/deviceManagement/intents/live-1', purpose: 'update', keys: ['description', 'displayName', 'roleScopeTagIds'] },
      { method: 'POST', path: '/beta/deviceManagement/intents/live-1/updateSettings', purpose: 'settings', keys: ['settings'] },
    ]);
  });

  it('refuses a snapshot without its template', () => {
    expect(() => writeStrategyFor('endpointSecurityIntent').create(input('endpointSecurityIntent', { ...intent, templateId: undefined }))).toThrow(UnwritableSnapshotError);
  });
});

describe('administrative template writes', () => {
  const value = (id: string, definitionId: string, presentationId: string, text: string) => ({
    id,
    enabled: true,
    definition: { id: definitionId, displayName: definitionId },
    presentationValues: [{ '@odata.type': '#microsoft.graph.groupPolicyPresentationValueText', id: `${id}-p`, value: text, presentation: { id: presentationId } }],
  });
  const template = { id: 't1', displayName: 'ADMX', description: 'd', roleScopeTagIds: ['0'], definitionValues: [value('v1', 'def-a', 'pres-a', 'one'), value('v2', 'def-b', 'pres-b', 'two')] };

  it('creates the configuration, then adds its values bound to the configured base URL', () => {
    const requests = writeStrategyFor('administrativeTemplate').create(input('administrativeTemplate', template));
    expect(shape(requests)).toEqual([
      { method: 'POST', path: '/beta/deviceManagement/groupPolicyConfigurations', purpose: 'create', keys: ['description', 'displayName', 'roleScopeTagIds'] },
      { method: 'POST', path: '/beta/deviceManagement/groupPolicyConfigurations/{createdId}/updateDefinitionValues', purpose: 'definition_values', keys: ['added', 'deletedIds', 'updated'] },
    ]);
    expect((requests[1].body!.added as unknown[])[0]).toEqual({
      enabled: true,
      'definition@odata.bind': `${BASE}/beta/deviceManagement/groupPolicyDefinitions('def-a')`,
      presentationValues: [{ '@odata.type': '#microsoft.graph.groupPolicyPresentationValueText', value: 'one', 'presentation@odata.bind': `${BASE}/beta/deviceManagement/groupPolicyDefinitions('def-a')/presentations('pres-a')` }],
    });
  });

  it('updates values against the live ones: added, updated by live id, deleted', () => {
    const live = { ...template, definitionValues: [value('live-v1', 'def-a', 'pres-a', 'changed'), value('live-v3', 'def-c', 'pres-c', 'three')] };
    const requests = writeStrategyFor('administrativeTemplate').update(update('administrativeTemplate', template, live, ['definitionValues']));
    expect(shape(requests)).toEqual([
      { method: 'POST', path: '/beta/deviceManagement/groupPolicyConfigurations/live-1/updateDefinitionValues', purpose: 'definition_values', keys: ['added', 'deletedIds', 'updated'] },
    ]);
    const body = requests[0].body!;
    expect((body.added as Array<Record<string, unknown>>).map((added) => added['definition@odata.bind'])).toEqual([`${BASE}/beta/deviceManagement/groupPolicyDefinitions('def-b')`]);
    expect(body.updated).toEqual([{ id: 'live-v1', enabled: true, presentationValues: [{ id: 'live-v1-p', '@odata.type': '#microsoft.graph.groupPolicyPresentationValueText', value: 'one' }] }]);
    expect(body.deletedIds).toEqual(['live-v3']);
  });

  it('PATCHes the configuration only when its own properties changed', () => {
    expect(shape(writeStrategyFor('administrativeTemplate').update(update('administrativeTemplate', template, template, ['description'])))).toEqual([
      { method: 'PATCH', path: '/beta/deviceManagement/groupPolicyConfigurations/live-1', purpose: 'update', keys: ['description', 'displayName', 'roleScopeTagIds'] },
    ]);
  });

  it('refuses a presentation value whose presentation is unknown', () => {
    const old = { ...template, definitionValues: [{ ...value('v1', 'def-a', 'x', 'one'), presentationValues: [{ '@odata.type': '#microsoft.graph.groupPolicyPresentationValueText', value: 'one' }] }] };
    expect(() => writeStrategyFor('administrativeTemplate').create(input('administrativeTemplate', old))).toThrow(UnwritableSnapshotError);
  });
});

describe('app protection writes', () => {
  const policy = {
    '@odata.type': '#microsoft.graph.iosManagedAppProtection',
    id: 'T_1',
    displayName: 'iOS MAM',
    targetedAppManagementLevels: 'unmanaged',
    appGroupType: 'selectedPublicApps',
    isAssigned: true,
    deployedAppCount: 2,
    'apps@odata.context': 'x',
    apps: [{ id: 'com.x.ios', version: '1', mobileAppIdentifier: { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: 'com.x' } }],
    assignments: [],
  };

  it('creates in the platform collection (targetedAppManagementLevels kept), then targetApps', () => {
    const requests = writeStrategyFor('appProtectionPolicy').create(input('appProtectionPolicy', policy));
    expect(shape(requests)).toEqual([
      { method: 'POST', path: '/beta/deviceAppManagement/iosManagedAppProtections', purpose: 'create', keys: ['@odata.type', 'appGroupType', 'displayName', 'targetedAppManagementLevels'] },
      { method: 'POST', path: '/beta/deviceAppManagement/iosManagedAppProtections/{createdId}/targetApps', purpose: 'target_apps', keys: ['appGroupType', 'apps'] },
    ]);
    expect(requests[1].body!.apps).toEqual([{ mobileAppIdentifier: { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: 'com.x' } }]);
  });

  it('updates through the platform collection', () => {
    expect(shape(writeStrategyFor('appProtectionPolicy').update(update('appProtectionPolicy', policy, policy, ['displayName', 'apps'])))).toEqual([
      { method: 'PATCH', path: '/beta/deviceAppManagement/iosManagedAppProtections/live-1', purpose: 'update', keys: ['@odata.type', 'appGroupType', 'displayName', 'targetedAppManagementLevels'] },
      { method: 'POST', path: '/beta/deviceAppManagement/iosManagedAppProtections/live-1/targetApps', purpose: 'target_apps', keys: ['appGroupType', 'apps'] },
    ]);
  });
});

describe('enrollment configuration writes', () => {
  const configuration = { '@odata.type': '#microsoft.graph.deviceEnrollmentLimitConfiguration', id: 'e1', displayName: 'Limit', limit: 5, priority: 2, deviceEnrollmentConfigurationType: 'limit' };

  it('creates, then sets the priority', () => {
    expect(shape(writeStrategyFor('enrollmentConfiguration').create(input('enrollmentConfiguration', configuration)))).toEqual([
      { method: 'POST', path: '/beta/deviceManagement/deviceEnrollmentConfigurations', purpose: 'create', keys: ['@odata.type', 'displayName', 'limit'] },
      { method: 'POST', path: '/beta/deviceManagement/deviceEnrollmentConfigurations/{createdId}/setPriority', purpose: 'priority', keys: ['priority'] },
    ]);
  });

  it('a priority change alone is one setPriority', () => {
    expect(shape(writeStrategyFor('enrollmentConfiguration').update(update('enrollmentConfiguration', configuration, { ...configuration, priority: 3 }, ['priority'])))).toEqual([
      { method: 'POST', path: '/beta/deviceManagement/deviceEnrollmentConfigurations/live-1/setPriority', purpose: 'priority', keys: ['priority'] },
    ]);
  });
});

describe('default writes', () => {
  it('PATCHes a filter without its platform (writable on create only)', () => {
    const filter = { id: 'f1', displayName: 'Corp', platform: 'windows10AndLater', rule: '(device.osVersion -eq "10")', payloads: [] };
    const strategy = writeStrategyFor('assignmentFilter');
    expect(shape(strategy.create(input('assignmentFilter', filter)))[0].keys).toEqual(['displayName', 'platform', 'rule']);
    expect(shape(strategy.update(update('assignmentFilter', filter, filter, ['rule'])))).toEqual([
      { method: 'PATCH', path: '/beta/deviceManagement/assignmentFilters/live-1', purpose: 'update', keys: ['displayName', 'rule'] },
    ]);
    expect(strategy.update(update('assignmentFilter', filter, filter, []))).toEqual([]);
  });
});

describe('assignment writes', () => {
  const group = (groupId: string, id?: string) => ({ ...(id ? { id } : {}), target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId } });

  it('Autopilot: removes live assignments not wanted and adds wanted ones, one per call', () => {
    const contract = POLICY_TYPE_CONTRACTS.autopilotProfile;
    const requests = assignmentRequests(contract, '/beta/deviceManagement/windowsAutopilotDeploymentProfiles/p1', [group('g1'), group('g2')], [group('g1', 'a1'), group('g3', 'a3')]);
    expect(requests).toEqual([
      { method: 'DELETE', path: '/beta/deviceManagement/windowsAutopilotDeploymentProfiles/p1/assignments/a3', body: null, purpose: 'unassign' },
      { method: 'POST', path: '/beta/deviceManagement/windowsAutopilotDeploymentProfiles/p1/assignments', body: { target: group('g2').target }, purpose: 'assign' },
    ]);
  });

  it('/assign types send the whole set under their body property', () => {
    expect(assignmentRequests(POLICY_TYPE_CONTRACTS.remediationScript, '/beta/x/s1', [group('g1', 'a1')])).toEqual([
      { method: 'POST', path: '/beta/x/s1/assign', body: { deviceHealthScriptAssignments: [group('g1')] }, purpose: 'assign' },
    ]);
  });

  it('tells inherited (policy set) assignments from direct ones', () => {
    const inherited = { ...group('g9'), source: 'policySets', sourceId: 'set-1' };
    expect(splitAssignments([group('g1'), { ...group('g2'), source: 'direct' }, inherited])).toEqual({ direct: [group('g1'), { ...group('g2'), source: 'direct' }], inherited: [inherited] });
  });
});

describe('policy set writes', () => {
  const item = (id: string, payloadId: string) => ({ '@odata.type': '#microsoft.graph.deviceConfigurationPolicySetItem', id, payloadId, displayName: 'Wi-Fi', itemType: '#microsoft.graph.windows10GeneralConfiguration', status: 'unknown', errorCode: 'noError' });
  const set = { id: 's1', displayName: 'New hires', description: 'd', roleScopeTags: ['0'], status: 'notAssigned', errorCode: 'noError', items: [item('i1', 'm1'), item('i2', 'm2')], assignments: [] };

  it('creates the set without its items, then adds them (kind and member only) through update', () => {
    const requests = writeStrategyFor('policySet').create(input('policySet', set));
    expect(shape(requests)).toEqual([
      { method: 'POST', path: '/beta/deviceAppManagement/policySets', purpose: 'create', keys: ['description', 'displayName', 'roleScopeTags'] },
      { method: 'POST', path: '/beta/deviceAppManagement/policySets/{createdId}/update', purpose: 'policy_set_items', keys: ['addedPolicySetItems', 'deletedPolicySetItems', 'updatedPolicySetItems'] },
    ]);
    expect(requests[1].body!.addedPolicySetItems).toEqual([
      { '@odata.type': '#microsoft.graph.deviceConfigurationPolicySetItem', payloadId: 'm1' },
      { '@odata.type': '#microsoft.graph.deviceConfigurationPolicySetItem', payloadId: 'm2' },
    ]);
  });

  it('updates items against the live ones by member: added, updated by live id, deleted', () => {
    const live = { ...set, items: [item('live-1', 'm1'), item('live-3', 'm3')] };
    const requests = writeStrategyFor('policySet').update(update('policySet', set, live, ['items']));
    expect(shape(requests)).toEqual([{ method: 'POST', path: '/beta/deviceAppManagement/policySets/live-1/update', purpose: 'policy_set_items', keys: ['addedPolicySetItems', 'deletedPolicySetItems', 'updatedPolicySetItems'] }]);
    expect(requests[0].body).toEqual({
      addedPolicySetItems: [{ '@odata.type': '#microsoft.graph.deviceConfigurationPolicySetItem', payloadId: 'm2' }],
      updatedPolicySetItems: [{ id: 'live-1', '@odata.type': '#microsoft.graph.deviceConfigurationPolicySetItem', payloadId: 'm1' }],
      deletedPolicySetItems: ['live-3'],
    });
  });

  it('assigns through update with the whole set of assignments', () => {
    const target = { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'g1' };
    expect(assignmentRequests(POLICY_TYPE_CONTRACTS.policySet, '/beta/deviceAppManagement/policySets/s1', [{ id: 'a1', target }])).toEqual([
      { method: 'POST', path: '/beta/deviceAppManagement/policySets/s1/update', body: { assignments: [{ target }] }, purpose: 'assign' },
    ]);
  });
});

describe('application writes (assignments only)', () => {
  const app = { '@odata.type': '#microsoft.graph.iosStoreApp', id: 'a1', displayName: 'Outlook', bundleId: 'com.microsoft.office.outlook', publishingState: 'published' };
  it('never creates an app: the snapshot is unwritable with app_not_in_tenant', () => {
    expect(() => writeStrategyFor('mobileApp').create(input('mobileApp', app))).toThrow(expect.objectContaining({ reason: 'app_not_in_tenant' }));
  });
  it('never writes the app itself, whatever changed', () => {
    expect(writeStrategyFor('mobileApp').update(update('mobileApp', app, { ...app, description: 'x' }, ['description']))).toEqual([]);
  });
  it('assigns with mobileAppAssignments (intent kept)', () => {
    const assignment = { id: 'x', '@odata.type': '#microsoft.graph.mobileAppAssignment', intent: 'required', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'g1' } };
    expect(assignmentRequests(POLICY_TYPE_CONTRACTS.mobileApp, '/beta/deviceAppManagement/mobileApps/a1', [assignment])[0].body).toEqual({
      mobileAppAssignments: [{ '@odata.type': '#microsoft.graph.mobileAppAssignment', intent: 'required', target: assignment.target }],
    });
  });
});

describe('managed app configuration writes', () => {
  it('creates, then targets its apps like app protection', () => {
    const configuration = { id: 'c1', displayName: 'Outlook', customSettings: [{ name: 'k', value: 'v' }], appGroupType: 'selectedPublicApps', isAssigned: true, deployedAppCount: 1, apps: [{ id: 'x', mobileAppIdentifier: { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: 'com.x' } }] };
    expect(shape(writeStrategyFor('managedAppConfiguration').create(input('managedAppConfiguration', configuration)))).toEqual([
      { method: 'POST', path: '/beta/deviceAppManagement/targetedManagedAppConfigurations', purpose: 'create', keys: ['appGroupType', 'customSettings', 'displayName'] },
      { method: 'POST', path: '/beta/deviceAppManagement/targetedManagedAppConfigurations/{createdId}/targetApps', purpose: 'target_apps', keys: ['appGroupType', 'apps'] },
    ]);
  });
});

describe('authentication strength writes', () => {
  const strength = { id: 's1', displayName: 'Phishing-resistant plus', description: 'd', policyType: 'custom', requirementsSatisfied: 'mfa', allowedCombinations: ['fido2', 'windowsHelloForBusiness'] };
  it('creates with its combinations; updates name by PATCH and combinations by updateAllowedCombinations', () => {
    expect(shape(writeStrategyFor('authenticationStrengthPolicy').create(input('authenticationStrengthPolicy', strength)))).toEqual([
      { method: 'POST', path: '/v1.0/policies/authenticationStrengthPolicies', purpose: 'create', keys: ['allowedCombinations', 'description', 'displayName'] },
    ]);
    const requests = writeStrategyFor('authenticationStrengthPolicy').update(update('authenticationStrengthPolicy', strength, strength, ['description', 'allowedCombinations']));
    expect(shape(requests)).toEqual([
      { method: 'PATCH', path: '/v1.0/policies/authenticationStrengthPolicies/live-1', purpose: 'update', keys: ['description', 'displayName'] },
      { method: 'POST', path: '/v1.0/policies/authenticationStrengthPolicies/live-1/updateAllowedCombinations', purpose: 'allowed_combinations', keys: ['allowedCombinations'] },
    ]);
    expect(requests[1].body).toEqual({ allowedCombinations: ['fido2', 'windowsHelloForBusiness'] });
  });
});

describe('notification message template writes', () => {
  const template = {
    id: 't1',
    displayName: 'Non-compliance',
    defaultLocale: 'en-us',
    brandingOptions: 'none',
    localizedNotificationMessages: [
      { id: 'm1', locale: 'en-us', subject: 'Not compliant', messageTemplate: 'Call us', isDefault: true, lastModifiedDateTime: 'x' },
      { id: 'm2', locale: 'de-de', subject: 'Nicht konform', messageTemplate: 'Rufen Sie an', isDefault: false },
    ],
  };

  it('creates the template, then each localized message (without server ids)', () => {
    const requests = writeStrategyFor('notificationMessageTemplate').create(input('notificationMessageTemplate', template));
    expect(shape(requests)).toEqual([
      { method: 'POST', path: '/beta/deviceManagement/notificationMessageTemplates', purpose: 'create', keys: ['brandingOptions', 'defaultLocale', 'displayName'] },
      { method: 'POST', path: '/beta/deviceManagement/notificationMessageTemplates/{createdId}/localizedNotificationMessages', purpose: 'localized_messages', keys: ['isDefault', 'locale', 'messageTemplate', 'subject'] },
      { method: 'POST', path: '/beta/deviceManagement/notificationMessageTemplates/{createdId}/localizedNotificationMessages', purpose: 'localized_messages', keys: ['isDefault', 'locale', 'messageTemplate', 'subject'] },
    ]);
  });

  it('updates a changed message by its live id, adds a missing locale, deletes one the snapshot lacks', () => {
    const live = {
      ...template,
      localizedNotificationMessages: [
        { id: 'live-en', locale: 'en-us', subject: 'Changed', messageTemplate: 'Call us', isDefault: true },
        { id: 'live-fr', locale: 'fr-fr', subject: 'Non conforme', messageTemplate: 'Appelez', isDefault: false },
      ],
    };
    const requests = writeStrategyFor('notificationMessageTemplate').update(update('notificationMessageTemplate', template, live, ['localizedNotificationMessages']));
    expect(requests.map(({ method, path, body }) => [method, path, body])).toEqual([
      ['PATCH', '/beta/deviceManagement/notificationMessageTemplates/live-1/localizedNotificationMessages/live-en', { subject: 'Not compliant', messageTemplate: 'Call us', isDefault: true }],
      ['POST', '/beta/deviceManagement/notificationMessageTemplates/live-1/localizedNotificationMessages', { locale: 'de-de', subject: 'Nicht konform', messageTemplate: 'Rufen Sie an', isDefault: false }],
      ['DELETE', '/beta/deviceManagement/notificationMessageTemplates/live-1/localizedNotificationMessages/live-fr', null],
    ]);
  });
});

describe('role assignment writes', () => {
  const assignment = {
    '@odata.type': '#microsoft.graph.deviceAndAppManagementRoleAssignment',
    id: 'ra1',
    displayName: 'Help desk EMEA',
    members: ['g1'],
    roleScopeTagIds: ['0'],
    roleDefinition: { id: 'role-1', displayName: 'Help Desk Operator', isBuiltIn: true },
  };

  it('binds the role it grants by URL on create, never writes the expanded role', () => {
    const [create] = writeStrategyFor('roleAssignment').create(input('roleAssignment', assignment));
    expect(create.body).toEqual({
      '@odata.type': '#microsoft.graph.deviceAndAppManagementRoleAssignment',
      displayName: 'Help desk EMEA',
      members: ['g1'],
      roleScopeTagIds: ['0'],
      'roleDefinition@odata.bind': `${BASE}/beta/deviceManagement/roleDefinitions('role-1')`,
    });
  });

  it('a snapshot without its role cannot be written', () => {
    const { roleDefinition: _role, ...withoutRole } = assignment;
    expect(() => writeStrategyFor('roleAssignment').create(input('roleAssignment', withoutRole))).toThrow(UnwritableSnapshotError);
  });
});

describe('tenant-wide settings writes', () => {
  it('PATCH /deviceManagement with the settings; never a create', () => {
    const settings = { id: 'deviceManagementSettings', deviceComplianceCheckinThresholdDays: 30, secureByDefault: true };
    expect(writeStrategyFor('deviceManagementSettings').update(update('deviceManagementSettings', settings, settings, ['secureByDefault']))).toEqual([
      { method: 'PATCH', path: '/beta/deviceManagement', body: { settings: { deviceComplianceCheckinThresholdDays: 30, secureByDefault: true } }, purpose: 'update' },
    ]);
    expect(() => writeStrategyFor('deviceManagementSettings').create(input('deviceManagementSettings', settings))).toThrow(UnwritableSnapshotError);
  });
});

// One object per supported policy type, made the way an administrator (or the Intune portal) makes it
// through Graph, the change a colleague might make to it later, and the exact requests a restore must
// send to undo each: the conformance suite runs them against the emulator and, when configured, a real
// tenant. Bodies follow Graph's documentation for each type.
import type { GraphClient } from '@policyvault/graph';

type GraphObject = Record<string, unknown>;

/** `METHOD path` with `{id}` for the object the restore writes and `{templateId}` for an intent's template. */
export type ExpectedRequest = [method: string, path: string];

export interface ConformanceFixture {
  /** PolicyVault's policy type id. */
  type: string;
  /**
   * Creates the object (and, given a group, one assignment to it); returns its id. `idOf` gives the ids of
   * the objects of fixtures created before it (a Conditional Access policy names a location, a policy set members).
   */
  create(graph: GraphClient, name: string, groupId: string | undefined, idOf: (type: string) => string): Promise<string>;
  /**
   * A restore writes only the assignments of an existing object (applications): instead of being deleted the
   * object loses its assignments, and the restore plans an update of the same object, never a create.
   */
  assignmentsOnto?: 'existing';
  /**
   * What the restore does after `drift` (default `update`): a category has nothing but its name, so renaming it
   * leaves no object of the captured name, and the restore creates it again (`recreate`'s requests).
   */
  afterDrift?: 'create';
  /** The object's own path (for DELETE and reads). */
  objectPath(id: string): string;
  /** Changes the object behind the backup's back, as an administrator would in the portal. */
  drift(graph: GraphClient, id: string): Promise<void>;
  /** Requests a restore sends to re-create the deleted object (before assignments). */
  recreate: ExpectedRequest[];
  /** Requests a restore sends to undo `drift`. */
  undoDrift: ExpectedRequest[];
  /** The assignment write, when the fixture is assigned (`{id}` the object). */
  assign?: ExpectedRequest;
  /** The emulator's collection holding the type's objects, when it is not named like the type (enrollment kinds). */
  emulatorKey?: string;
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
export const SECRET_CANARY = 'pv-conformance-secret-7f3a';

async function post(graph: GraphClient, path: string, body: GraphObject): Promise<GraphObject> {
  return (await graph.request<GraphObject>({ method: 'POST', path, body })).body ?? {};
}
async function created(graph: GraphClient, path: string, body: GraphObject): Promise<string> {
  const answer = await post(graph, path, body);
  if (typeof answer.id !== 'string') throw new Error(`POST ${path} answered without an id`);
  return answer.id;
}
const patch = (graph: GraphClient, path: string, body: GraphObject) => graph.request({ method: 'PATCH', path, body });
const groupTarget = (groupId: string) => ({ '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId });

/** A fixture whose type is written with one POST and one PATCH, assigned through `/assign`. */
function simple(type: string, collection: string, body: (name: string) => GraphObject, options: { assignProperty?: string | null; odataType?: string; drift?: GraphObject; target?: (groupId: string) => GraphObject } = {}): ConformanceFixture {
  const assignProperty = options.assignProperty === undefined ? 'assignments' : options.assignProperty;
  const objectPath = (id: string) => `${collection}/${encodeURIComponent(id)}`;
  return {
    type,
    objectPath,
    async create(graph, name, groupId) {
      const id = await created(graph, collection, body(name));
      if (groupId && assignProperty) await post(graph, `${objectPath(id)}/assign`, { [assignProperty]: [{ target: (options.target ?? groupTarget)(groupId) }] });
      return id;
    },
    drift: async (graph, id) => void (await patch(graph, objectPath(id), { ...(options.odataType ? { '@odata.type': options.odataType } : {}), ...(options.drift ?? { description: 'Changed in the portal' }) })),
    recreate: [['POST', collection]],
    undoDrift: [['PATCH', `${collection}/{id}`]],
    ...(assignProperty ? { assign: ['POST', `${collection}/{id}/assign`] as ExpectedRequest } : {}),
  };
}

const DEVICE_CONFIGURATION = '#microsoft.graph.windows10CustomConfiguration';
const COMPLIANCE = '#microsoft.graph.windows10CompliancePolicy';
const blockRule = (graceHours: number) => ({
  ruleName: 'PasswordRequired',
  scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: graceHours, notificationTemplateId: '', notificationMessageCCList: [] }],
});
const CATALOG_SETTING = {
  '@odata.type': '#microsoft.graph.deviceManagementConfigurationSetting',
  settingInstance: {
    '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
    settingDefinitionId: 'device_vendor_msft_policy_config_experience_allowcortana',
    choiceSettingValue: { value: 'device_vendor_msft_policy_config_experience_allowcortana_0', children: [] },
  },
};
const catalogBody = (name: string, description: string) => ({
  name,
  description,
  platforms: 'windows10',
  technologies: 'mdm',
  roleScopeTagIds: ['0'],
  settings: [CATALOG_SETTING],
});
const HOME_PAGE_DEFINITION = 'Configure the home page URL';
const IOS_PROTECTION = '#microsoft.graph.iosManagedAppProtection';
const ENROLLMENT_STATUS_PAGE = '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration';
const AUTOPILOT = '#microsoft.graph.azureADWindowsAutopilotDeploymentProfile';

const WIP = '#microsoft.graph.windowsInformationProtectionPolicy';
const MDM_WIP = '#microsoft.graph.mdmWindowsInformationProtectionPolicy';
const IOS_STORE_APP = '#microsoft.graph.iosStoreApp';
const IP_LOCATION = '#microsoft.graph.ipNamedLocation';
const wipBody = (odataType: string, name: string) => ({
  '@odata.type': odataType,
  displayName: name,
  description: 'Corporate data in Edge',
  enforcementLevel: 'encryptAndAuditOnly',
  enterpriseDomain: 'contoso.example',
  protectedApps: [
    {
      '@odata.type': '#microsoft.graph.windowsInformationProtectionStoreApp',
      displayName: 'Microsoft Edge',
      publisherName: 'O=Microsoft Corporation, L=Redmond, S=Washington, C=US',
      productName: 'Microsoft.MicrosoftEdge',
      denied: false,
    },
  ],
  roleScopeTagIds: ['0'],
});
const appAssignment = (groupId: string) => ({ '@odata.type': '#microsoft.graph.mobileAppAssignment', intent: 'required', target: groupTarget(groupId) });
const cloudPcTarget = (groupId: string) => ({ '@odata.type': '#microsoft.graph.cloudPcManagementGroupAssignmentTarget', groupId });

async function definitionWithPresentation(graph: GraphClient, displayName: string): Promise<{ definitionId: string; presentationId: string }> {
  const filter = encodeURIComponent(`displayName eq '${displayName}'`);
  const [definition] = await graph.listAll<GraphObject>(`/beta/deviceManagement/groupPolicyDefinitions?$filter=${filter}`);
  if (!definition) throw new Error(`the tenant has no ADMX definition '${displayName}'`);
  const definitionId = String(definition.id);
  const [presentation] = await graph.listAll<GraphObject>(`/beta/deviceManagement/groupPolicyDefinitions('${definitionId}')/presentations`);
  if (!presentation) throw new Error(`the ADMX definition '${displayName}' has no presentation`);
  return { definitionId, presentationId: String(presentation.id) };
}

async function antivirusTemplateId(graph: GraphClient): Promise<string> {
  const templates = await graph.listAll<GraphObject>('/beta/deviceManagement/templates');
  const template = templates.find((candidate) => candidate.templateType === 'endpointSecurityAntivirus' && candidate.isDeprecated !== true);
  if (!template) throw new Error('the tenant has no endpoint-security antivirus template');
  return String(template.id);
}

const ENROLLMENT_CONFIGURATIONS = '/beta/deviceManagement/deviceEnrollmentConfigurations';
const ENROLLMENT_NOTIFICATION = '#microsoft.graph.deviceEnrollmentNotificationConfiguration';
const COMPLIANCE_POLICIES = '/beta/deviceManagement/compliancePolicies';
const TEMPLATES = '/beta/deviceManagement/notificationMessageTemplates';
const ROLE_DEFINITION = '#microsoft.graph.deviceAndAppManagementRoleDefinition';
const ROLE_ASSIGNMENTS = '/beta/deviceManagement/roleAssignments';
const TERMS = '/beta/deviceManagement/termsAndConditions';
const BRANDING = '/beta/deviceManagement/intuneBrandingProfiles';
const LOCALIZED_MESSAGES = [
  { locale: 'en-us', subject: 'Your device is not compliant', messageTemplate: 'Please contact the service desk.', isDefault: true },
  { locale: 'de-de', subject: 'Ihr Gerät ist nicht konform', messageTemplate: 'Bitte wenden Sie sich an den Service Desk.', isDefault: false },
];

/** An enrollment configuration of one kind, assigned, its priority restored after the create. */
function enrollmentKind(type: string, odataType: string, body: (name: string) => GraphObject): ConformanceFixture {
  return {
    ...simple(type, ENROLLMENT_CONFIGURATIONS, (name) => ({ '@odata.type': odataType, ...body(name) }), { assignProperty: 'enrollmentConfigurationAssignments', odataType }),
    recreate: [
      ['POST', ENROLLMENT_CONFIGURATIONS],
      ['POST', `${ENROLLMENT_CONFIGURATIONS}/{id}/setPriority`],
    ],
    emulatorKey: 'enrollmentConfiguration',
  };
}

/** A settings-catalog compliance policy (Linux) with its block action. */
const compliancePolicyBody = (name: string, description: string) => ({
  name,
  description,
  platforms: 'linux',
  technologies: 'linuxMdm',
  roleScopeTagIds: ['0'],
  settings: [
    {
      '@odata.type': '#microsoft.graph.deviceManagementConfigurationSetting',
      settingInstance: {
        '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
        settingDefinitionId: 'linux_deviceencryption_required',
        choiceSettingValue: { value: 'linux_deviceencryption_required_true', children: [] },
      },
    },
  ],
  scheduledActionsForRule: [
    { ruleName: null, scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: 0, notificationTemplateId: '', notificationMessageCCList: [] }] },
  ],
});

async function builtInRole(graph: GraphClient, displayName: string): Promise<string> {
  const roles = await graph.listAll<GraphObject>('/beta/deviceManagement/roleDefinitions');
  const role = roles.find((candidate) => candidate.displayName === displayName && candidate.isBuiltIn === true);
  if (!role) throw new Error(`the tenant has no built-in role '${displayName}'`);
  return String(role.id);
}

export const CONFORMANCE_FIXTURES: ConformanceFixture[] = [
  simple(
    'deviceConfiguration',
    '/beta/deviceManagement/deviceConfigurations',
    (name) => ({
      '@odata.type': DEVICE_CONFIGURATION,
      displayName: name,
      description: 'Custom OMA-URI settings, one of them secret',
      roleScopeTagIds: ['0'],
      omaSettings: [
        { '@odata.type': '#microsoft.graph.omaSettingInteger', displayName: 'Allow camera', omaUri: './Vendor/MSFT/Policy/Config/Camera/AllowCamera', value: 0 },
        { '@odata.type': '#microsoft.graph.omaSettingString', displayName: 'Wi-Fi pre-shared key', omaUri: './Vendor/MSFT/WiFi/Profile/PolicyVault/WlanXml', value: SECRET_CANARY, isEncrypted: true },
      ],
    }),
    { odataType: DEVICE_CONFIGURATION },
  ),
  {
    type: 'settingsCatalogPolicy',
    objectPath: (id) => `/beta/deviceManagement/configurationPolicies/${encodeURIComponent(id)}`,
    async create(graph, name, groupId) {
      const id = await created(graph, '/beta/deviceManagement/configurationPolicies', catalogBody(name, 'Settings catalog'));
      if (groupId) await post(graph, `/beta/deviceManagement/configurationPolicies/${id}/assign`, { assignments: [{ target: groupTarget(groupId) }] });
      return id;
    },
    async drift(graph, id) {
      const current = await graph.get<GraphObject>(`/beta/deviceManagement/configurationPolicies/${encodeURIComponent(id)}`);
      await graph.request({ method: 'PUT', path: `/beta/deviceManagement/configurationPolicies/${encodeURIComponent(id)}`, body: catalogBody(String(current.name), 'Changed in the portal') });
    },
    recreate: [['POST', '/beta/deviceManagement/configurationPolicies']],
    undoDrift: [['PUT', '/beta/deviceManagement/configurationPolicies/{id}']],
    assign: ['POST', '/beta/deviceManagement/configurationPolicies/{id}/assign'],
  },
  {
    type: 'compliancePolicy',
    objectPath: (id) => `/beta/deviceManagement/deviceCompliancePolicies/${encodeURIComponent(id)}`,
    async create(graph, name, groupId) {
      const id = await created(graph, '/beta/deviceManagement/deviceCompliancePolicies', {
        '@odata.type': COMPLIANCE,
        displayName: name,
        description: 'Compliance with its block action',
        roleScopeTagIds: ['0'],
        passwordRequired: true,
        passwordMinimumLength: 8,
        scheduledActionsForRule: [blockRule(0)],
      });
      if (groupId) await post(graph, `/beta/deviceManagement/deviceCompliancePolicies/${id}/assign`, { assignments: [{ target: groupTarget(groupId) }] });
      return id;
    },
    // A longer grace period: only the scheduled actions change.
    drift: async (graph, id) => void (await post(graph, `/beta/deviceManagement/deviceCompliancePolicies/${encodeURIComponent(id)}/scheduleActionsForRules`, { deviceComplianceScheduledActionForRules: [blockRule(72)] })),
    recreate: [['POST', '/beta/deviceManagement/deviceCompliancePolicies']],
    undoDrift: [['POST', '/beta/deviceManagement/deviceCompliancePolicies/{id}/scheduleActionsForRules']],
    assign: ['POST', '/beta/deviceManagement/deviceCompliancePolicies/{id}/assign'],
  },
  {
    type: 'administrativeTemplate',
    objectPath: (id) => `/beta/deviceManagement/groupPolicyConfigurations/${encodeURIComponent(id)}`,
    async create(graph, name, groupId) {
      const id = await created(graph, '/beta/deviceManagement/groupPolicyConfigurations', { displayName: name, description: 'Edge home page', roleScopeTagIds: ['0'] });
      const { definitionId, presentationId } = await definitionWithPresentation(graph, HOME_PAGE_DEFINITION);
      const definitionUrl = `${graph.graphBaseUrl}/beta/deviceManagement/groupPolicyDefinitions('${definitionId}')`;
      await post(graph, `/beta/deviceManagement/groupPolicyConfigurations/${id}/updateDefinitionValues`, {
        added: [
          {
            enabled: true,
            'definition@odata.bind': definitionUrl,
            presentationValues: [
              { '@odata.type': '#microsoft.graph.groupPolicyPresentationValueText', value: 'https://intranet.example.test', 'presentation@odata.bind': `${definitionUrl}/presentations('${presentationId}')` },
            ],
          },
        ],
        updated: [],
        deletedIds: [],
      });
      if (groupId) await post(graph, `/beta/deviceManagement/groupPolicyConfigurations/${id}/assign`, { assignments: [{ target: groupTarget(groupId) }] });
      return id;
    },
    async drift(graph, id) {
      const path = `/beta/deviceManagement/groupPolicyConfigurations/${encodeURIComponent(id)}`;
      const [value] = await graph.listAll<GraphObject>(`${path}/definitionValues?$expand=presentationValues`);
      const [presentationValue] = value.presentationValues as GraphObject[];
      await post(graph, `${path}/updateDefinitionValues`, {
        added: [],
        updated: [{ id: value.id, enabled: true, presentationValues: [{ id: presentationValue.id, '@odata.type': presentationValue['@odata.type'], value: 'https://changed.example.test' }] }],
        deletedIds: [],
      });
    },
    recreate: [
      ['POST', '/beta/deviceManagement/groupPolicyConfigurations'],
      ['POST', '/beta/deviceManagement/groupPolicyConfigurations/{id}/updateDefinitionValues'],
    ],
    undoDrift: [['POST', '/beta/deviceManagement/groupPolicyConfigurations/{id}/updateDefinitionValues']],
    assign: ['POST', '/beta/deviceManagement/groupPolicyConfigurations/{id}/assign'],
  },
  {
    type: 'endpointSecurityIntent',
    objectPath: (id) => `/beta/deviceManagement/intents/${encodeURIComponent(id)}`,
    async create(graph, name, groupId) {
      const templateId = await antivirusTemplateId(graph);
      const id = await created(graph, `/beta/deviceManagement/templates/${templateId}/createInstance`, { displayName: name, description: 'Antivirus', settingsDelta: [], roleScopeTagIds: ['0'] });
      if (groupId) await post(graph, `/beta/deviceManagement/intents/${id}/assign`, { assignments: [{ target: groupTarget(groupId) }] });
      return id;
    },
    async drift(graph, id) {
      const path = `/beta/deviceManagement/intents/${encodeURIComponent(id)}`;
      const settings = await graph.listAll<GraphObject>(`${path}/settings`);
      const flag = settings.find((setting) => setting['@odata.type'] === '#microsoft.graph.deviceManagementBooleanSettingInstance');
      if (!flag) throw new Error('the antivirus template has no boolean setting');
      const flipped = JSON.stringify(!(JSON.parse(String(flag.valueJson)) as boolean));
      await post(graph, `${path}/updateSettings`, { settings: [{ '@odata.type': flag['@odata.type'], id: flag.id, definitionId: flag.definitionId, valueJson: flipped }] });
    },
    recreate: [['POST', '/beta/deviceManagement/templates/{templateId}/createInstance']],
    undoDrift: [['POST', '/beta/deviceManagement/intents/{id}/updateSettings']],
    assign: ['POST', '/beta/deviceManagement/intents/{id}/assign'],
  },
  simple(
    'windowsPlatformScript',
    '/beta/deviceManagement/deviceManagementScripts',
    (name) => ({
      '@odata.type': '#microsoft.graph.deviceManagementScript',
      displayName: name,
      description: 'Inventory',
      scriptContent: base64("Write-Output 'PolicyVault'"),
      runAsAccount: 'system',
      enforceSignatureCheck: false,
      fileName: 'inventory.ps1',
      runAs32Bit: false,
      roleScopeTagIds: ['0'],
    }),
    { assignProperty: 'deviceManagementScriptAssignments', odataType: '#microsoft.graph.deviceManagementScript' },
  ),
  simple(
    'macOSPlatformScript',
    '/beta/deviceManagement/deviceShellScripts',
    (name) => ({
      '@odata.type': '#microsoft.graph.deviceShellScript',
      displayName: name,
      description: 'Dock layout',
      scriptContent: base64('#!/bin/sh\necho PolicyVault\n'),
      runAsAccount: 'system',
      fileName: 'dock.sh',
      retryCount: 1,
      blockExecutionNotifications: true,
      roleScopeTagIds: ['0'],
    }),
    { assignProperty: 'deviceManagementScriptAssignments', odataType: '#microsoft.graph.deviceShellScript' },
  ),
  simple(
    'remediationScript',
    '/beta/deviceManagement/deviceHealthScripts',
    (name) => ({
      '@odata.type': '#microsoft.graph.deviceHealthScript',
      displayName: name,
      description: 'Clears the temp folder',
      publisher: 'PolicyVault',
      runAsAccount: 'system',
      runAs32Bit: false,
      enforceSignatureCheck: false,
      detectionScriptContent: base64('exit 1'),
      remediationScriptContent: base64('Remove-Item $env:TEMP\\* -Recurse -Force'),
      roleScopeTagIds: ['0'],
    }),
    { assignProperty: 'deviceHealthScriptAssignments', odataType: '#microsoft.graph.deviceHealthScript' },
  ),
  simple('windowsFeatureUpdateProfile', '/beta/deviceManagement/windowsFeatureUpdateProfiles', (name) => ({ displayName: name, description: 'Stay on 23H2', featureUpdateVersion: 'Windows 11, version 23H2', roleScopeTagIds: ['0'] })),
  simple('windowsQualityUpdateProfile', '/beta/deviceManagement/windowsQualityUpdateProfiles', (name) => ({
    displayName: name,
    description: 'Expedite January',
    expeditedUpdateSettings: { qualityUpdateRelease: '2024-01-09T00:00:00Z', daysUntilForcedReboot: 1 },
    roleScopeTagIds: ['0'],
  })),
  simple('windowsDriverUpdateProfile', '/beta/deviceManagement/windowsDriverUpdateProfiles', (name) => ({ displayName: name, description: 'Manual driver approval', approvalType: 'manual', roleScopeTagIds: ['0'] })),
  {
    ...simple(
    'enrollmentStatusPage',
    '/beta/deviceManagement/deviceEnrollmentConfigurations',
    (name) => ({
      '@odata.type': ENROLLMENT_STATUS_PAGE,
      displayName: name,
      description: 'Enrollment status page',
      showInstallationProgress: true,
      blockDeviceSetupRetryByUser: false,
      allowDeviceResetOnInstallFailure: false,
      allowLogCollectionOnInstallFailure: true,
      customErrorMessage: 'Contact the service desk.',
      installProgressTimeoutInMinutes: 60,
      allowDeviceUseOnInstallFailure: false,
      roleScopeTagIds: ['0'],
    }),
    { assignProperty: 'enrollmentConfigurationAssignments', odataType: ENROLLMENT_STATUS_PAGE },
    ),
    // Priority is not writable by POST: Graph gives the new configuration the last one; the restore puts it back.
    recreate: [
      ['POST', '/beta/deviceManagement/deviceEnrollmentConfigurations'],
      ['POST', '/beta/deviceManagement/deviceEnrollmentConfigurations/{id}/setPriority'],
    ],
    emulatorKey: 'enrollmentConfiguration',
  },
  {
    type: 'autopilotProfile',
    objectPath: (id) => `/beta/deviceManagement/windowsAutopilotDeploymentProfiles/${encodeURIComponent(id)}`,
    async create(graph, name, groupId) {
      const id = await created(graph, '/beta/deviceManagement/windowsAutopilotDeploymentProfiles', {
        '@odata.type': AUTOPILOT,
        displayName: name,
        description: 'User-driven Entra join',
        language: 'os-default',
        extractHardwareHash: false,
        deviceNameTemplate: 'PV-%SERIAL%',
        deviceType: 'windowsPc',
        enableWhiteGlove: false,
        roleScopeTagIds: ['0'],
        outOfBoxExperienceSettings: { hidePrivacySettings: true, hideEULA: true, userType: 'standard', deviceUsageType: 'singleUser', skipKeyboardSelectionPage: false, hideEscapeLink: true },
      });
      if (groupId) await post(graph, `/beta/deviceManagement/windowsAutopilotDeploymentProfiles/${id}/assignments`, { target: groupTarget(groupId) });
      return id;
    },
    drift: async (graph, id) => void (await patch(graph, `/beta/deviceManagement/windowsAutopilotDeploymentProfiles/${encodeURIComponent(id)}`, { '@odata.type': AUTOPILOT, description: 'Changed in the portal' })),
    recreate: [['POST', '/beta/deviceManagement/windowsAutopilotDeploymentProfiles']],
    undoDrift: [['PATCH', '/beta/deviceManagement/windowsAutopilotDeploymentProfiles/{id}']],
    assign: ['POST', '/beta/deviceManagement/windowsAutopilotDeploymentProfiles/{id}/assignments'],
  },
  simple(
    'assignmentFilter',
    '/beta/deviceManagement/assignmentFilters',
    (name) => ({ displayName: name, description: 'Contoso-made devices', platform: 'windows10AndLater', rule: '(device.manufacturer -eq "Contoso")', roleScopeTags: ['0'] }),
    { assignProperty: null },
  ),
  simple('scopeTag', '/beta/deviceManagement/roleScopeTags', (name) => ({ displayName: name, description: 'Help desk of one region' }), { assignProperty: null }),
  {
    type: 'appProtectionPolicy',
    objectPath: (id) => `/beta/deviceAppManagement/iosManagedAppProtections/${encodeURIComponent(id)}`,
    async create(graph, name, groupId) {
      const id = await created(graph, '/beta/deviceAppManagement/iosManagedAppProtections', {
        '@odata.type': IOS_PROTECTION,
        displayName: name,
        description: 'Office apps on unmanaged iPhones',
        roleScopeTagIds: ['0'],
        pinRequired: true,
        minimumPinLength: 6,
        periodOfflineBeforeAccessCheck: 'PT12H',
        targetedAppManagementLevels: 'unmanaged',
      });
      await post(graph, `/beta/deviceAppManagement/iosManagedAppProtections/${id}/targetApps`, {
        apps: [{ mobileAppIdentifier: { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: 'com.microsoft.officemobile' } }],
        appGroupType: 'selectedPublicApps',
      });
      if (groupId) await post(graph, `/beta/deviceAppManagement/iosManagedAppProtections/${id}/assign`, { assignments: [{ target: groupTarget(groupId) }] });
      return id;
    },
    drift: async (graph, id) => void (await patch(graph, `/beta/deviceAppManagement/iosManagedAppProtections/${encodeURIComponent(id)}`, { '@odata.type': IOS_PROTECTION, description: 'Changed in the portal' })),
    recreate: [
      ['POST', '/beta/deviceAppManagement/iosManagedAppProtections'],
      ['POST', '/beta/deviceAppManagement/iosManagedAppProtections/{id}/targetApps'],
    ],
    undoDrift: [['PATCH', '/beta/deviceAppManagement/iosManagedAppProtections/{id}']],
    assign: ['POST', '/beta/deviceAppManagement/iosManagedAppProtections/{id}/assign'],
  },
  simple(
    'appConfigurationPolicy',
    '/beta/deviceAppManagement/mobileAppConfigurations',
    (name) => ({
      '@odata.type': '#microsoft.graph.iosMobileAppConfiguration',
      displayName: name,
      description: 'Mail server for the mail app',
      targetedMobileApps: [],
      roleScopeTagIds: ['0'],
      settings: [{ appConfigKey: 'serverUrl', appConfigKeyType: 'stringType', appConfigKeyValue: 'https://mail.example.test' }],
    }),
    { odataType: '#microsoft.graph.iosMobileAppConfiguration' },
  ),
  // Apps, Windows 365 and Entra Conditional Access (issue 15).
  {
    type: 'managedAppConfiguration',
    objectPath: (id) => `/beta/deviceAppManagement/targetedManagedAppConfigurations/${encodeURIComponent(id)}`,
    async create(graph, name, groupId) {
      const id = await created(graph, '/beta/deviceAppManagement/targetedManagedAppConfigurations', {
        displayName: name,
        description: 'Outlook notifications off',
        roleScopeTagIds: ['0'],
        customSettings: [{ name: 'com.microsoft.outlook.Mail.NotificationsEnabled', value: 'false' }],
      });
      await post(graph, `/beta/deviceAppManagement/targetedManagedAppConfigurations/${id}/targetApps`, {
        apps: [{ mobileAppIdentifier: { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: 'com.microsoft.office.outlook' } }],
        appGroupType: 'selectedPublicApps',
      });
      if (groupId) await post(graph, `/beta/deviceAppManagement/targetedManagedAppConfigurations/${id}/assign`, { assignments: [{ target: groupTarget(groupId) }] });
      return id;
    },
    drift: async (graph, id) => void (await patch(graph, `/beta/deviceAppManagement/targetedManagedAppConfigurations/${encodeURIComponent(id)}`, { description: 'Changed in the portal' })),
    recreate: [
      ['POST', '/beta/deviceAppManagement/targetedManagedAppConfigurations'],
      ['POST', '/beta/deviceAppManagement/targetedManagedAppConfigurations/{id}/targetApps'],
    ],
    undoDrift: [['PATCH', '/beta/deviceAppManagement/targetedManagedAppConfigurations/{id}']],
    assign: ['POST', '/beta/deviceAppManagement/targetedManagedAppConfigurations/{id}/assign'],
  },
  simple('windowsInformationProtectionPolicy', '/beta/deviceAppManagement/windowsInformationProtectionPolicies', (name) => wipBody(WIP, name), { odataType: WIP }),
  simple('mdmWindowsInformationProtectionPolicy', '/beta/deviceAppManagement/mdmWindowsInformationProtectionPolicies', (name) => wipBody(MDM_WIP, name), { odataType: MDM_WIP }),
  {
    type: 'mobileApp',
    objectPath: (id) => `/beta/deviceAppManagement/mobileApps/${encodeURIComponent(id)}`,
    assignmentsOnto: 'existing',
    async create(graph, name, groupId) {
      const id = await created(graph, '/beta/deviceAppManagement/mobileApps', {
        '@odata.type': IOS_STORE_APP,
        displayName: name,
        description: 'A store app the restore only assigns',
        publisher: 'PolicyVault',
        bundleId: 'com.policyvault.conformance',
        appStoreUrl: 'https://apps.apple.com/app/id000000001',
        applicableDeviceType: { iPad: true, iPhoneAndIPod: true },
        minimumSupportedOperatingSystem: { v15_0: true },
        roleScopeTagIds: ['0'],
      });
      if (groupId) await post(graph, `/beta/deviceAppManagement/mobileApps/${id}/assign`, { mobileAppAssignments: [appAssignment(groupId)] });
      return id;
    },
    // Its assignments removed in the portal: the restore puts them back (and never touches the app itself).
    drift: async (graph, id) => void (await post(graph, `/beta/deviceAppManagement/mobileApps/${encodeURIComponent(id)}/assign`, { mobileAppAssignments: [] })),
    recreate: [],
    undoDrift: [['POST', '/beta/deviceAppManagement/mobileApps/{id}/assign']],
    assign: ['POST', '/beta/deviceAppManagement/mobileApps/{id}/assign'],
  },
  {
    ...simple('mobileAppCategory', '/beta/deviceAppManagement/mobileAppCategories', (name) => ({ displayName: name }), {
      assignProperty: null,
      drift: { displayName: `PV conformance category renamed ${Date.now().toString(36)}` },
    }),
    afterDrift: 'create',
    undoDrift: [['POST', '/beta/deviceAppManagement/mobileAppCategories']],
  },
  simple(
    'cloudPcProvisioningPolicy',
    '/beta/deviceManagement/virtualEndpoint/provisioningPolicies',
    (name) => ({
      '@odata.type': '#microsoft.graph.cloudPcProvisioningPolicy',
      displayName: name,
      description: 'Entra-joined Cloud PCs',
      imageId: 'microsoftwindowsdesktop_windows-ent-cpc_win11-23h2-ent-cpc-m365',
      imageDisplayName: 'Windows 11 Enterprise + Microsoft 365 Apps 23H2',
      imageType: 'gallery',
      provisioningType: 'dedicated',
      enableSingleSignOn: true,
      cloudPcNamingTemplate: 'CPC-%USERNAME:5%-%RAND:5%',
      domainJoinConfigurations: [{ domainJoinType: 'azureADJoin', regionName: 'automatic', regionGroup: 'usEast' }],
      windowsSetting: { locale: 'en-US' },
    }),
    { odataType: '#microsoft.graph.cloudPcProvisioningPolicy', target: cloudPcTarget },
  ),
  simple(
    'cloudPcUserSetting',
    '/beta/deviceManagement/virtualEndpoint/userSettings',
    (name) => ({
      '@odata.type': '#microsoft.graph.cloudPcUserSetting',
      displayName: name,
      localAdminEnabled: false,
      resetEnabled: true,
      restorePointSetting: { frequencyType: 'twelveHours', userRestoreEnabled: true },
    }),
    { odataType: '#microsoft.graph.cloudPcUserSetting', target: cloudPcTarget, drift: { localAdminEnabled: true } },
  ),
  simple(
    'namedLocation',
    '/v1.0/identity/conditionalAccess/namedLocations',
    (name) => ({ '@odata.type': IP_LOCATION, displayName: name, isTrusted: false, ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '203.0.113.0/24' }] }),
    { assignProperty: null, odataType: IP_LOCATION, drift: { isTrusted: true } },
  ),
  {
    type: 'conditionalAccessPolicy',
    objectPath: (id) => `/v1.0/identity/conditionalAccess/policies/${encodeURIComponent(id)}`,
    // Report-only: never enforced in a test tenant (and what a restore writes by default).
    create: async (graph, name, groupId, idOf) =>
      created(graph, '/v1.0/identity/conditionalAccess/policies', {
        displayName: name,
        state: 'enabledForReportingButNotEnforced',
        conditions: {
          clientAppTypes: ['all'],
          applications: { includeApplications: ['All'] },
          // Given a group, the policy names it (mapped by name into another tenant).
          users: groupId ? { includeGroups: [groupId] } : { includeUsers: ['All'] },
          locations: { includeLocations: [idOf('namedLocation')], excludeLocations: ['AllTrusted'] },
        },
        grantControls: { operator: 'OR', builtInControls: ['mfa'] },
      }),
    drift: async (graph, id) => void (await patch(graph, `/v1.0/identity/conditionalAccess/policies/${encodeURIComponent(id)}`, { state: 'disabled' })),
    recreate: [['POST', '/v1.0/identity/conditionalAccess/policies']],
    undoDrift: [['PATCH', '/v1.0/identity/conditionalAccess/policies/{id}']],
  },
  {
    type: 'authenticationStrengthPolicy',
    objectPath: (id) => `/v1.0/policies/authenticationStrengthPolicies/${encodeURIComponent(id)}`,
    create: (graph, name) =>
      created(graph, '/v1.0/policies/authenticationStrengthPolicies', { displayName: name, description: 'Passkeys or Authenticator', allowedCombinations: ['fido2', 'password,microsoftAuthenticatorPush'] }),
    // The combinations change only through updateAllowedCombinations, in the portal too.
    drift: async (graph, id) => void (await post(graph, `/v1.0/policies/authenticationStrengthPolicies/${encodeURIComponent(id)}/updateAllowedCombinations`, { allowedCombinations: ['fido2'] })),
    recreate: [['POST', '/v1.0/policies/authenticationStrengthPolicies']],
    undoDrift: [['POST', '/v1.0/policies/authenticationStrengthPolicies/{id}/updateAllowedCombinations']],
  },
  {
    type: 'policySet',
    objectPath: (id) => `/beta/deviceAppManagement/policySets/${encodeURIComponent(id)}`,
    async create(graph, name, groupId, idOf) {
      const id = await created(graph, '/beta/deviceAppManagement/policySets', {
        displayName: name,
        description: 'Baseline for new hires',
        roleScopeTags: ['0'],
        items: [
          { '@odata.type': '#microsoft.graph.deviceConfigurationPolicySetItem', payloadId: idOf('deviceConfiguration') },
          { '@odata.type': '#microsoft.graph.targetedManagedAppConfigurationPolicySetItem', payloadId: idOf('managedAppConfiguration') },
        ],
      });
      if (groupId) await post(graph, `/beta/deviceAppManagement/policySets/${id}/update`, { assignments: [{ target: groupTarget(groupId) }] });
      return id;
    },
    drift: async (graph, id) => void (await patch(graph, `/beta/deviceAppManagement/policySets/${encodeURIComponent(id)}`, { description: 'Changed in the portal' })),
    // Created without its items, which go (with their members' new ids) through the set's `update` action.
    recreate: [
      ['POST', '/beta/deviceAppManagement/policySets'],
      ['POST', '/beta/deviceAppManagement/policySets/{id}/update'],
    ],
    undoDrift: [['PATCH', '/beta/deviceAppManagement/policySets/{id}']],
    assign: ['POST', '/beta/deviceAppManagement/policySets/{id}/update'],
  },
  // Device management coverage (issue 15).
  enrollmentKind('enrollmentConfiguration', ENROLLMENT_NOTIFICATION, (name) => ({
    displayName: name,
    description: 'Enrollment notification',
    platformType: 'windows',
    templateType: 'email',
    brandingOptions: 'none',
    notificationTemplates: [],
    roleScopeTagIds: ['0'],
  })),
  enrollmentKind('enrollmentPlatformRestriction', '#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration', (name) => ({
    displayName: name,
    description: 'No personal iPhones',
    platformType: 'ios',
    platformRestriction: { platformBlocked: false, personalDeviceEnrollmentBlocked: true, osMinimumVersion: '16.0', osMaximumVersion: null, blockedManufacturers: [], blockedSkus: [] },
    roleScopeTagIds: ['0'],
  })),
  enrollmentKind('enrollmentDeviceLimit', '#microsoft.graph.deviceEnrollmentLimitConfiguration', (name) => ({ displayName: name, description: 'Five devices a user', limit: 5, roleScopeTagIds: ['0'] })),
  enrollmentKind('enrollmentWindowsHelloForBusiness', '#microsoft.graph.deviceEnrollmentWindowsHelloForBusinessConfiguration', (name) => ({
    displayName: name,
    description: 'PIN of six or more',
    state: 'enabled',
    pinMinimumLength: 6,
    pinMaximumLength: 127,
    pinUppercaseCharactersUsage: 'allowed',
    pinLowercaseCharactersUsage: 'allowed',
    pinSpecialCharactersUsage: 'allowed',
    securityDeviceRequired: false,
    unlockWithBiometricsEnabled: true,
    remotePassportEnabled: true,
    pinPreviousBlockCount: 0,
    pinExpirationInDays: 0,
    roleScopeTagIds: ['0'],
  })),
  {
    type: 'settingsCatalogCompliancePolicy',
    objectPath: (id) => `${COMPLIANCE_POLICIES}/${encodeURIComponent(id)}`,
    async create(graph, name, groupId) {
      const id = await created(graph, COMPLIANCE_POLICIES, compliancePolicyBody(name, 'Linux disk encryption'));
      if (groupId) await post(graph, `${COMPLIANCE_POLICIES}/${id}/assign`, { assignments: [{ target: groupTarget(groupId) }] });
      return id;
    },
    async drift(graph, id) {
      const current = await graph.get<GraphObject>(`${COMPLIANCE_POLICIES}/${encodeURIComponent(id)}`);
      await graph.request({ method: 'PUT', path: `${COMPLIANCE_POLICIES}/${encodeURIComponent(id)}`, body: compliancePolicyBody(String(current.name), 'Changed in the portal') });
    },
    recreate: [['POST', COMPLIANCE_POLICIES]],
    undoDrift: [['PUT', `${COMPLIANCE_POLICIES}/{id}`]],
    assign: ['POST', `${COMPLIANCE_POLICIES}/{id}/assign`],
  },
  simple(
    'complianceScript',
    '/beta/deviceManagement/deviceComplianceScripts',
    (name) => ({
      displayName: name,
      description: 'Reports the BitLocker state for custom compliance',
      publisher: 'PolicyVault',
      runAsAccount: 'system',
      runAs32Bit: false,
      enforceSignatureCheck: false,
      detectionScriptContent: base64('@{ BitLocker = "On" } | ConvertTo-Json -Compress'),
      roleScopeTagIds: ['0'],
    }),
    { assignProperty: null },
  ),
  {
    type: 'notificationMessageTemplate',
    objectPath: (id) => `${TEMPLATES}/${encodeURIComponent(id)}`,
    async create(graph, name) {
      const id = await created(graph, TEMPLATES, { displayName: name, description: 'Non-compliance mail', defaultLocale: 'en-us', brandingOptions: 'includeCompanyLogo', roleScopeTagIds: ['0'] });
      for (const message of LOCALIZED_MESSAGES) await post(graph, `${TEMPLATES}/${id}/localizedNotificationMessages`, message);
      return id;
    },
    async drift(graph, id) {
      const messages = await graph.listAll<GraphObject>(`${TEMPLATES}/${encodeURIComponent(id)}/localizedNotificationMessages`);
      const german = messages.find((message) => message.locale === 'de-de')!;
      await patch(graph, `${TEMPLATES}/${encodeURIComponent(id)}/localizedNotificationMessages/${encodeURIComponent(String(german.id))}`, { subject: 'Geändert im Portal' });
    },
    recreate: [['POST', TEMPLATES], ...LOCALIZED_MESSAGES.map((): ExpectedRequest => ['POST', `${TEMPLATES}/{id}/localizedNotificationMessages`])],
    undoDrift: [['PATCH', `${TEMPLATES}/{id}/localizedNotificationMessages/{id}`]],
  },
  simple(
    'reusablePolicySetting',
    '/beta/deviceManagement/reusablePolicySettings',
    (name) => ({
      displayName: name,
      description: 'Remote IP ranges of the head office',
      settingDefinitionId: 'vendor_msft_firewall_mdmstore_firewallrules_{firewallrulename}_remoteaddressdynamickeywords',
      settingInstance: {
        '@odata.type': '#microsoft.graph.deviceManagementConfigurationSimpleSettingCollectionInstance',
        settingDefinitionId: 'vendor_msft_firewall_mdmstore_firewallrules_{firewallrulename}_remoteaddressdynamickeywords',
        simpleSettingCollectionValue: [{ '@odata.type': '#microsoft.graph.deviceManagementConfigurationStringSettingValue', value: '203.0.113.0/24' }],
      },
    }),
    { assignProperty: null },
  ),
  simple(
    'macOSCustomAttribute',
    '/beta/deviceManagement/deviceCustomAttributeShellScripts',
    (name) => ({
      '@odata.type': '#microsoft.graph.deviceCustomAttributeShellScript',
      displayName: name,
      description: 'FileVault state',
      customAttributeName: 'FileVaultState',
      customAttributeType: 'string',
      scriptContent: base64('#!/bin/sh\nfdesetup status\n'),
      runAsAccount: 'system',
      fileName: 'filevault.sh',
      roleScopeTagIds: ['0'],
    }),
    { assignProperty: 'deviceManagementScriptAssignments', odataType: '#microsoft.graph.deviceCustomAttributeShellScript' },
  ),
  simple('deviceCategory', '/beta/deviceManagement/deviceCategories', (name) => ({ displayName: name, description: 'Shop-floor kiosks', roleScopeTagIds: ['0'] }), { assignProperty: null }),
  simple(
    'roleDefinition',
    '/beta/deviceManagement/roleDefinitions',
    (name) => ({
      '@odata.type': ROLE_DEFINITION,
      displayName: name,
      description: 'Reads device configurations',
      roleScopeTagIds: ['0'],
      rolePermissions: [{ resourceActions: [{ allowedResourceActions: ['Microsoft.Intune_DeviceConfigurations_Read'], notAllowedResourceActions: [] }] }],
    }),
    { assignProperty: null, odataType: ROLE_DEFINITION },
  ),
  {
    type: 'roleAssignment',
    objectPath: (id) => `${ROLE_ASSIGNMENTS}/${encodeURIComponent(id)}`,
    async create(graph, name, groupId) {
      const role = await builtInRole(graph, 'Help Desk Operator');
      return created(graph, ROLE_ASSIGNMENTS, {
        '@odata.type': '#microsoft.graph.deviceAndAppManagementRoleAssignment',
        displayName: name,
        description: 'Help desk of one region',
        // Its members are groups (mapped by name into another tenant, like assignments).
        members: groupId ? [groupId] : [],
        scopeMembers: [],
        resourceScopes: [],
        scopeType: 'resourceScope',
        roleScopeTagIds: ['0'],
        'roleDefinition@odata.bind': `${graph.graphBaseUrl}/beta/deviceManagement/roleDefinitions('${role}')`,
      });
    },
    drift: async (graph, id) => void (await patch(graph, `${ROLE_ASSIGNMENTS}/${encodeURIComponent(id)}`, { '@odata.type': '#microsoft.graph.deviceAndAppManagementRoleAssignment', description: 'Changed in the portal' })),
    recreate: [['POST', ROLE_ASSIGNMENTS]],
    undoDrift: [['PATCH', `${ROLE_ASSIGNMENTS}/{id}`]],
  },
  {
    type: 'termsAndConditions',
    objectPath: (id) => `${TERMS}/${encodeURIComponent(id)}`,
    async create(graph, name, groupId) {
      const id = await created(graph, TERMS, {
        displayName: name,
        description: 'Acceptable use',
        title: 'Acceptable use of company devices',
        bodyText: 'Company devices are for work.',
        acceptanceStatement: 'I accept',
        roleScopeTagIds: ['0'],
      });
      if (groupId) await post(graph, `${TERMS}/${id}/assignments`, { target: groupTarget(groupId) });
      return id;
    },
    drift: async (graph, id) => void (await patch(graph, `${TERMS}/${encodeURIComponent(id)}`, { description: 'Changed in the portal' })),
    recreate: [['POST', TERMS]],
    undoDrift: [['PATCH', `${TERMS}/{id}`]],
    assign: ['POST', `${TERMS}/{id}/assignments`],
  },
  {
    ...simple(
      'brandingProfile',
      BRANDING,
      (name) => ({
        profileName: name,
        profileDescription: 'Company Portal for the shop floor',
        displayName: 'Contoso IT',
        contactITName: 'Service desk',
        contactITPhoneNumber: '+1 555 0100',
        showLogo: false,
        showDisplayNameNextToLogo: true,
        roleScopeTagIds: ['0'],
      }),
    ),
    drift: async (graph, id) => void (await patch(graph, `${BRANDING}/${encodeURIComponent(id)}`, { profileDescription: 'Changed in the portal' })),
  },
];

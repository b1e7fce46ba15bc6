import { DEMO_TENANTS } from '@policyvault/contracts';
import {
  COLLECTIONS,
  DUPLICATED_GROUP_NAME,
  generateDemoPolicies,
  graphCatalogue,
  GROUP_POLICY_DEFINITIONS,
  INTENT_TEMPLATES,
  startGraphEmulator,
  type RunningGraphEmulator,
} from '../src/index.js';

type GraphObject = Record<string, unknown>;
const [CONTOSO, FABRIKAM] = DEMO_TENANTS.map((tenant) => tenant.directoryId);

/** Keys the object's type does not have (properties and navigation properties, inherited included). */
function unknownKeys(object: GraphObject, typeName: string): string[] {
  const type = graphCatalogue().entityType(String(object['@odata.type'] ?? typeName));
  if (!type) return [`<unknown type ${String(object['@odata.type'] ?? typeName)}>`];
  return Object.keys(object).filter((key) => key !== '@odata.type' && !(key in type.properties) && !(key in type.navigationProperties));
}

describe('Graph emulator demo seed', () => {
  let emulator: RunningGraphEmulator;
  const objects = (tenant: string, key: string) => emulator.admin.listObjects(tenant, key) ?? [];

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, demoSeed: { policiesPerType: 6 } });
  });
  afterAll(() => emulator.close());

  it('seeds only properties and navigations the catalogue knows, for every collection and relation item', () => {
    const problems: string[] = [];
    for (const tenant of [CONTOSO, FABRIKAM]) {
      for (const collection of COLLECTIONS) {
        const type = graphCatalogue().entityType(collection.entityType)!;
        for (const object of objects(tenant, collection.key)) {
          problems.push(...unknownKeys(object, collection.entityType).map((key) => `${collection.key}.${key}`));
          const concrete = graphCatalogue().entityType(String(object['@odata.type'] ?? collection.entityType)) ?? type;
          for (const name of Object.keys(collection.navigations)) {
            const itemType = /Collection\(microsoft\.graph\.(\w+)\)/.exec(concrete.navigationProperties[name] ?? '')?.[1];
            if (!itemType) problems.push(`${collection.key}.${name}: no item type`);
            else for (const item of (object[name] as GraphObject[]) ?? []) problems.push(...unknownKeys(item, itemType).map((key) => `${collection.key}.${name}.${key}`));
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('holds the same group names in both tenants with their own ids, one name twice, and assignments to its own groups', () => {
    const contoso = objects(CONTOSO, 'group');
    const fabrikam = objects(FABRIKAM, 'group');
    expect(contoso.map((group) => group.displayName)).toEqual(fabrikam.map((group) => group.displayName));
    expect(contoso.filter((group) => group.displayName === DUPLICATED_GROUP_NAME)).toHaveLength(2);
    expect(new Set([...contoso, ...fabrikam].map((group) => group.id)).size).toBe(contoso.length + fabrikam.length);
    for (const [tenant, groups] of [[CONTOSO, contoso], [FABRIKAM, fabrikam]] as const) {
      const unique = new Set(groups.filter((group) => group.displayName !== DUPLICATED_GROUP_NAME).map((group) => group.id));
      const targeted = COLLECTIONS.flatMap((collection) => objects(tenant, collection.key).flatMap((object) => (object.assignments as GraphObject[] | undefined) ?? []))
        .map((assignment) => (assignment.target as GraphObject).groupId)
        .filter((groupId) => groupId !== undefined);
      expect(targeted.length).toBeGreaterThan(10);
      for (const groupId of targeted) expect(unique.has(String(groupId))).toBe(true);
    }
  });

  it('seeds built-ins and objects that satisfy the special rules', () => {
    expect(objects(CONTOSO, 'scopeTag').find((tag) => tag.id === '0')).toMatchObject({ displayName: 'Default', isBuiltIn: true });
    expect(objects(CONTOSO, 'enrollmentConfiguration').filter((config) => config.priority === 0).map((config) => config.id)).toEqual([
      `${CONTOSO}_DefaultPlatformRestrictions`,
      `${CONTOSO}_DefaultWindows10EnrollmentCompletionPageConfiguration`,
    ]);
    expect(objects(CONTOSO, 'remediationScript').filter((script) => script.isGlobalScript === true)).toHaveLength(2);

    const templates = new Set(objects(CONTOSO, 'notificationMessageTemplate').map((template) => template.id));
    const actions = objects(CONTOSO, 'compliancePolicy').map((policy) => (policy.scheduledActionsForRule as GraphObject[]).flatMap((rule) => rule.scheduledActionConfigurations as GraphObject[]));
    for (const policyActions of actions) expect(policyActions.some((action) => action.actionType === 'block')).toBe(true);
    const referenced = actions.flat().filter((action) => action.actionType === 'notification');
    expect(referenced.length).toBeGreaterThan(0);
    for (const action of referenced) expect(templates.has(action.notificationTemplateId)).toBe(true);

    const templateIds = new Set(INTENT_TEMPLATES.map((template) => template.object.id));
    for (const intent of objects(CONTOSO, 'endpointSecurityIntent')) expect(templateIds.has(intent.templateId)).toBe(true);
    for (const policy of objects(CONTOSO, 'administrativeTemplate')) {
      for (const value of policy.definitionValues as GraphObject[]) {
        const definition = GROUP_POLICY_DEFINITIONS.find((candidate) => candidate.object.id === (value.definition as GraphObject).id);
        expect(definition).toBeDefined();
        for (const presentationValue of value.presentationValues as GraphObject[]) {
          expect(definition!.presentations.map((presentation) => presentation.id)).toContain((presentationValue.presentation as GraphObject).id);
        }
      }
    }
    const protections = objects(CONTOSO, 'appProtectionPolicy');
    expect(new Set(protections.map((policy) => policy['@odata.type']))).toEqual(
      new Set(['#microsoft.graph.iosManagedAppProtection', '#microsoft.graph.androidManagedAppProtection', '#microsoft.graph.windowsManagedAppProtection']),
    );
    for (const policy of protections) expect((policy.apps as unknown[]).length).toBeGreaterThan(0);
    expect(protections.filter((policy) => policy.targetedAppManagementLevels !== undefined).length).toBeGreaterThan(0);

    const secrets = objects(CONTOSO, 'deviceConfiguration').flatMap((config) => ((config.omaSettings as GraphObject[] | undefined) ?? []).filter((setting) => setting.isEncrypted === true));
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(secret.value).toBe('****');
      expect(emulator.admin.secretValue(CONTOSO, String(secret.secretReferenceValueId))).toMatch(/^psk-/);
    }
  });

  it('is deterministic, honours counts, and stays fast for benchmark sizes', () => {
    const ids = (options: Parameters<typeof generateDemoPolicies>[1]) => generateDemoPolicies(CONTOSO, options).map((item) => `${item.type}:${String(item.object.id)}`);
    expect(ids({ policiesPerType: 3 })).toEqual(ids({ policiesPerType: 3 }));
    expect(ids({ policiesPerType: 3, seed: 7 })).not.toEqual(ids({ policiesPerType: 3 }));
    const counted = generateDemoPolicies(CONTOSO, { policiesPerType: 0, counts: { deviceConfiguration: 4, group: 2 } });
    const perType = counted.reduce<Record<string, number>>((counts, item) => ({ ...counts, [item.type]: (counts[item.type] ?? 0) + 1 }), {});
    expect(perType).toEqual({ group: 2, scopeTag: 1, enrollmentConfiguration: 2, remediationScript: 2, roleDefinition: 2, brandingProfile: 1, notificationMessageTemplate: 3, deviceConfiguration: 4 });
    const started = performance.now();
    expect(generateDemoPolicies(CONTOSO, { policiesPerType: 0, counts: { deviceConfiguration: 1500, compliancePolicy: 500, settingsCatalogPolicy: 200 } }).length).toBeGreaterThan(2200);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

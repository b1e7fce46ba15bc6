import { hashString, seededRandom } from '../behaviour/random.js';
import { graphCatalogue } from '../catalogue/graph-catalogue.js';
import { collectionByKey } from '../catalogue/collections.js';
import type { GraphObject } from '../graph/tenant-store.js';
import { assignments, between, GENERATORS, type SeedReferences } from './policy-generators.js';
import { deterministicUuid } from './seed-ids.js';
import { builtInObjects, demoGroups, DUPLICATED_GROUP_NAME } from './tenant-directory.js';

export interface SeedOptions {
  /** Objects per policy type (default 24: "dozens" for the demo tenants). */
  policiesPerType?: number;
  /**
   * Exact count per collection key, overriding `policiesPerType`. `group` (default 9: eight names, one of them
   * twice) and `notificationMessageTemplate` (default 3) are the tenant's supporting objects.
   */
  counts?: Partial<Record<string, number>>;
  /** Extra seed so two tenants with the same id can differ (default: derived from the directory id). */
  seed?: number;
}

/** Generated first: later objects reference them (filters in assignments, templates in compliance actions). */
const SEED_ORDER = [
  'notificationMessageTemplate',
  'assignmentFilter',
  'scopeTag',
  'deviceConfiguration',
  'settingsCatalogPolicy',
  'compliancePolicy',
  'administrativeTemplate',
  'endpointSecurityIntent',
  'windowsPlatformScript',
  'macOSPlatformScript',
  'remediationScript',
  'windowsFeatureUpdateProfile',
  'windowsQualityUpdateProfile',
  'windowsDriverUpdateProfile',
  'enrollmentConfiguration',
  'autopilotProfile',
  'appProtectionPolicy',
  'appConfigurationPolicy',
];
const SUPPORTING_DEFAULTS: Record<string, number> = { notificationMessageTemplate: 3 };

/** Server stamps the object's type declares (deviceManagementIntent has no createdDateTime, scope tags none). */
function stamps(random: () => number, typeName: string): GraphObject {
  const properties = graphCatalogue().entityType(typeName)?.properties ?? {};
  const created = Date.UTC(2024, 0, 15, 9, 0, 0) + Math.floor(random() * 300) * 86_400_000;
  const result: GraphObject = {};
  if ('createdDateTime' in properties) result.createdDateTime = new Date(created).toISOString();
  if ('lastModifiedDateTime' in properties) result.lastModifiedDateTime = new Date(created + Math.floor(random() * 30) * 86_400_000).toISOString();
  if ('version' in properties) result.version = typeName === 'deviceHealthScript' ? String(between(random, 1, 9)) : between(random, 1, 9);
  return result;
}

/**
 * Deterministic objects (Graph shape with relations embedded) for one tenant: its groups, Microsoft's built-ins
 * (scope tag `0`, two default enrollment configurations, two global remediation scripts) and the policies.
 */
export function generateDemoPolicies(directoryId: string, options: SeedOptions = {}): Array<{ type: string; object: GraphObject }> {
  const random = seededRandom(options.seed ?? hashString(directoryId));
  const groups = demoGroups(directoryId, options.counts?.group);
  const result: Array<{ type: string; object: GraphObject }> = [...groups.map((object) => ({ type: 'group', object })), ...builtInObjects(directoryId)];
  const references: SeedReferences = {
    groupIds: groups.filter((group) => group.displayName !== DUPLICATED_GROUP_NAME).map((group) => String(group.id)),
    filterIds: [],
    notificationTemplateIds: [],
  };
  for (const type of SEED_ORDER) {
    const collection = collectionByKey(type);
    if (!collection) throw new Error(`seed order names unknown collection '${type}'`);
    const count = options.counts?.[type] ?? SUPPORTING_DEFAULTS[type] ?? options.policiesPerType ?? 24;
    for (let index = 1; index <= count; index += 1) {
      const id = deterministicUuid(random);
      const generated = GENERATORS[type](random, index, references);
      const typeName = String(generated['@odata.type'] ?? collection.entityType);
      const object: GraphObject = { id, ...stamps(random, typeName), ...generated };
      if ('assignments' in collection.navigations && !('assignments' in generated)) object.assignments = assignments(random, references);
      if (type === 'autopilotProfile') {
        object.assignments = (object.assignments as GraphObject[]).map((item) => ({ ...item, id: `${id}_${String((item.target as GraphObject).groupId ?? 'allDevices')}`, source: 'direct', sourceId: id }));
      }
      if ('isAssigned' in object) object.isAssigned = (object.assignments as unknown[] | undefined)?.length ? true : false;
      if (type === 'settingsCatalogPolicy') object.settingCount = (object.settings as unknown[]).length;
      if (type === 'assignmentFilter') references.filterIds.push(id);
      if (type === 'notificationMessageTemplate') references.notificationTemplateIds.push(id);
      result.push({ type, object });
    }
  }
  return result;
}

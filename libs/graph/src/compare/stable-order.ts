import { isPlainObject, withoutServerManaged } from '../contracts/strip-for-write.js';
import { canonicalJson } from '../writes/canonical-json.js';

type GraphObject = Record<string, unknown>;
type KeyOf = (element: GraphObject) => string | undefined;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const child = (element: GraphObject, key: string): GraphObject => (isPlainObject(element[key]) ? (element[key] as GraphObject) : {});

/** The meaning of an assignment target: its kind, group and filter (`#…groupAssignmentTarget|g-1|f-1|include`). */
const targetKey: KeyOf = (element) => {
  const target = child(element, 'target');
  const kind = text(target['@odata.type']);
  if (!kind) return undefined;
  return [kind, target.groupId, target.collectionId, target.deviceAndAppManagementAssignmentFilterId, target.deviceAndAppManagementAssignmentFilterType].map((part) => part ?? '').join('|');
};

/**
 * Arrays whose order carries no meaning, by property name, and the stable key of an element: settings
 * catalog settings and their children by setting definition, intent settings by definition, definition
 * values by definition and presentation values by presentation (Microsoft's global template ids),
 * OMA-URI settings by URI, app protection apps by bundle/package/app id, compliance scheduled actions by
 * rule and action type, assignments by target, policy set items by member. Keys are read from the object as Graph returned it, before
 * ids are stripped for comparing.
 */
const KEYED_ARRAYS: Readonly<Record<string, KeyOf>> = {
  settings: (element) => text(child(element, 'settingInstance').settingDefinitionId) ?? text(element.definitionId) ?? text(element.settingDefinitionId),
  children: (element) => text(element.settingDefinitionId),
  definitionValues: (element) => text(child(element, 'definition').id),
  presentationValues: (element) => text(child(element, 'presentation').id),
  omaSettings: (element) => text(element.omaUri),
  apps: (element) => {
    const app = child(element, 'mobileAppIdentifier');
    return text(app.bundleId) ?? text(app.packageId) ?? text(app.windowsAppId);
  },
  scheduledActionsForRule: (element) => text(element.ruleName),
  scheduledActionConfigurations: (element) => text(element.actionType),
  assignments: targetKey,
  // Policy set items by member.
  items: (element) => text(element.payloadId),
};

/**
 * The stable key of an element of the array under `property`, when that array's order means nothing and
 * the element has one (a diff names such elements by key: `settings[device_vendor_msft_…]`).
 */
export function stableKeyOf(property: string | undefined, element: unknown): string | undefined {
  const keyOf = property ? KEYED_ARRAYS[property] : undefined;
  return keyOf && isPlainObject(element) ? keyOf(element) : undefined;
}

/** Arrays of plain values that are sets (scope tag ids): sorted as values. */
const VALUE_SETS: ReadonlySet<string> = new Set(['roleScopeTagIds', 'includeLocations', 'excludeLocations']);

/**
 * A copy of a Graph object (as read, or as captured) with every array whose order carries no meaning
 * sorted by its elements' stable keys, at every depth, so that order alone never shows as a difference.
 * Elements with equal keys, or without one, are ordered by their content without server-managed ids:
 * the result is the same for any order of the same elements. Other arrays keep their order. Pure.
 */
export function inStableOrder<T>(value: T): T {
  return order(value, undefined) as T;
}

function order(value: unknown, property: string | undefined): unknown {
  if (Array.isArray(value)) {
    const elements = value.map((element) => order(element, undefined));
    if (property && VALUE_SETS.has(property) && elements.every((element) => !isPlainObject(element) && !Array.isArray(element))) {
      return [...elements].sort((a, b) => compareText(canonicalJson(a), canonicalJson(b)));
    }
    const keyOf = property ? KEYED_ARRAYS[property] : undefined;
    if (!keyOf || !elements.every(isPlainObject)) return elements;
    const keyed = (elements as GraphObject[]).map((element) => ({ element, key: keyOf(element) ?? '', content: canonicalJson(withoutServerManaged(element)) }));
    return keyed.sort((a, b) => compareText(a.key, b.key) || compareText(a.content, b.content)).map(({ element }) => element);
  }
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, order(entry, key)]));
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

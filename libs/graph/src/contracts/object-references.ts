import { POLICY_SET_MEMBER_TYPES, getPolicyTypeContract } from './policy-type-contracts.js';
import { isPlainObject } from './strip-for-write.js';

type GraphObject = Record<string, unknown>;

/** A reference from one backed-up object to another object a restore may write (by its id in the captured tenant). */
export interface ObjectReference {
  /** The policy type of the referenced object. */
  policyType: string;
  id: string;
}

/** Values Conditional Access takes instead of a named location's id. */
const LOCATION_KEYWORDS: ReadonlySet<string> = new Set(['All', 'AllTrusted']);
const LOCATION_LISTS = ['includeLocations', 'excludeLocations'] as const;

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * The objects a snapshot references by id that a restore writes itself: the named locations of a Conditional
 * Access policy (`conditions.locations.include/excludeLocations`), the members of a policy set
 * (`items[].payloadId`, typed by the item's `@odata.type`). Each once, in order.
 */
export function referencedObjects(policyType: string, snapshot: GraphObject): ObjectReference[] {
  const found = new Map<string, ObjectReference>();
  const add = (type: string, id: unknown) => {
    if (typeof id === 'string' && id !== '') found.set(`${type}|${id}`, { policyType: type, id });
  };
  if (policyType === 'conditionalAccessPolicy') {
    const locations = isPlainObject(snapshot.conditions) && isPlainObject(snapshot.conditions.locations) ? snapshot.conditions.locations : {};
    for (const key of LOCATION_LISTS) for (const id of list(locations[key])) if (typeof id === 'string' && !LOCATION_KEYWORDS.has(id)) add('namedLocation', id);
  }
  if (policyType === 'policySet') {
    for (const item of list(snapshot.items)) {
      if (!isPlainObject(item)) continue;
      const memberType = POLICY_SET_MEMBER_TYPES[String(item['@odata.type'])];
      if (memberType) add(memberType, item.payloadId);
    }
  }
  return [...found.values()];
}

/** A copy of the snapshot with each reference `resolve` answers for replaced (others kept). Never mutates the input. */
export function withObjectReferences(policyType: string, snapshot: GraphObject, resolve: (reference: ObjectReference) => string | undefined): GraphObject {
  if (policyType === 'conditionalAccessPolicy' && isPlainObject(snapshot.conditions) && isPlainObject(snapshot.conditions.locations)) {
    const locations: GraphObject = { ...snapshot.conditions.locations };
    for (const key of LOCATION_LISTS) {
      if (!Array.isArray(locations[key])) continue;
      locations[key] = (locations[key] as unknown[]).map((id) => (typeof id === 'string' && !LOCATION_KEYWORDS.has(id) ? (resolve({ policyType: 'namedLocation', id }) ?? id) : id));
    }
    return { ...snapshot, conditions: { ...snapshot.conditions, locations } };
  }
  if (policyType === 'policySet' && Array.isArray(snapshot.items)) {
    const items = snapshot.items.map((item) => {
      if (!isPlainObject(item)) return item;
      const memberType = POLICY_SET_MEMBER_TYPES[String(item['@odata.type'])];
      const id = memberType && typeof item.payloadId === 'string' ? resolve({ policyType: memberType, id: item.payloadId }) : undefined;
      return id === undefined ? item : { ...item, payloadId: id };
    });
    return { ...snapshot, items };
  }
  return snapshot;
}

/**
 * The pass of a restore run in which a type is written: 0 for types that reference nothing the run writes,
 * else one more than the latest pass of its `restoreAfter` types (named locations before Conditional Access,
 * members before their policy sets).
 */
export function restorePhaseOf(policyType: string, seen: ReadonlySet<string> = new Set()): number {
  const lookup = getPolicyTypeContract(policyType);
  if (!lookup.supported || !lookup.contract.restoreAfter?.length || seen.has(policyType)) return 0;
  const next = new Set([...seen, policyType]);
  return 1 + Math.max(...lookup.contract.restoreAfter.map((type) => restorePhaseOf(type, next)));
}

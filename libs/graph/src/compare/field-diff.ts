import type { FieldDifference } from '@policyvault/contracts';
import { stableKeyOf } from './stable-order.js';

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Graph writes `null` for an unset property that another read leaves out: both mean "not set". */
const isUnset = (value: unknown) => value === undefined || value === null;

/** Beyond this many differences an item's diff is cut (the request body still carries everything). */
export const MAX_DIFFERENCES_PER_ITEM = 500;

/**
 * Field-level differences between two states of an object (both already reduced to what a restore
 * compares, `comparableObject`), as JSON paths. Objects are compared key by key. An array whose order
 * means nothing (settings, OMA settings, definition values… see `stable-order.ts`) is compared element
 * by element by stable key when every element has a distinct one, named by it:
 * `settings[device_vendor_msft_policy_config_x].settingInstance.choiceSettingValue.value`, so an added or
 * removed element is one difference. Other arrays are compared position by position: `scheduledActionsForRule[0]…`.
 */
export function diffFields(live: unknown, snapshot: unknown, path = '', out: FieldDifference[] = [], property?: string): FieldDifference[] {
  if (out.length >= MAX_DIFFERENCES_PER_ITEM) return out;
  if (isUnset(live) && isUnset(snapshot)) return out;
  if (isPlainObject(live) && isPlainObject(snapshot)) {
    const keys = [...new Set([...Object.keys(snapshot), ...Object.keys(live)])];
    for (const key of keys) diffFields(live[key], snapshot[key], path ? `${path}.${key}` : key, out, key);
    return out;
  }
  if (Array.isArray(live) && Array.isArray(snapshot)) {
    const liveByKey = byStableKey(property, live);
    const snapshotByKey = byStableKey(property, snapshot);
    if (liveByKey && snapshotByKey) {
      const keys = [...new Set([...snapshotByKey.keys(), ...liveByKey.keys()])];
      for (const key of keys) diffFields(liveByKey.get(key), snapshotByKey.get(key), `${path}[${key}]`, out);
      return out;
    }
    for (let index = 0; index < Math.max(live.length, snapshot.length); index += 1) {
      diffFields(live[index], snapshot[index], `${path}[${index}]`, out);
    }
    return out;
  }
  if (live === snapshot) return out;
  out.push({ path: path || '$', ...(isUnset(live) ? {} : { live }), ...(isUnset(snapshot) ? {} : { snapshot }) });
  return out;
}

/** The elements by their stable keys, or undefined when one has none or two share one. */
function byStableKey(property: string | undefined, elements: unknown[]): Map<string, unknown> | undefined {
  const keyed = new Map<string, unknown>();
  for (const element of elements) {
    const key = stableKeyOf(property, element);
    if (key === undefined || keyed.has(key)) return undefined;
    keyed.set(key, element);
  }
  return keyed;
}

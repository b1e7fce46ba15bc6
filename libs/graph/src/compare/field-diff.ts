import type { FieldDifference } from '@policyvault/contracts';

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Graph writes `null` for an unset property that another read leaves out: both mean "not set". */
const isUnset = (value: unknown) => value === undefined || value === null;

/** Beyond this many differences an item's diff is cut (the request body still carries everything). */
export const MAX_DIFFERENCES_PER_ITEM = 500;

/**
 * Field-level differences between a live object and its snapshot (both already reduced to what a
 * restore compares), as JSON paths: `settings[3].settingInstance.choiceSettingValue.value`. Objects
 * are compared key by key, arrays position by position: arrays whose order means nothing were put in a
 * stable order first (`comparableObject`), so a position is one in that order.
 */
export function diffFields(live: unknown, snapshot: unknown, path = '', out: FieldDifference[] = []): FieldDifference[] {
  if (out.length >= MAX_DIFFERENCES_PER_ITEM) return out;
  if (isUnset(live) && isUnset(snapshot)) return out;
  if (isPlainObject(live) && isPlainObject(snapshot)) {
    const keys = [...new Set([...Object.keys(snapshot), ...Object.keys(live)])];
    for (const key of keys) diffFields(live[key], snapshot[key], path ? `${path}.${key}` : key, out);
    return out;
  }
  if (Array.isArray(live) && Array.isArray(snapshot)) {
    for (let index = 0; index < Math.max(live.length, snapshot.length); index += 1) {
      diffFields(live[index], snapshot[index], `${path}[${index}]`, out);
    }
    return out;
  }
  if (live === snapshot) return out;
  out.push({ path: path || '$', ...(isUnset(live) ? {} : { live }), ...(isUnset(snapshot) ? {} : { snapshot }) });
  return out;
}

/** The deepest nesting of objects and arrays accepted in a request or a message (no contract comes near it). */
export const MAX_INPUT_DEPTH = 64;

/** A lone surrogate: in a `u` regular expression paired surrogates are one code point, so only unpaired ones match. */
const UNPAIRED_SURROGATE = /\p{Surrogate}/u;

/**
 * Why a parsed input (a JSON body, a query, a message payload) cannot be taken, or null when it can.
 * Checked before class-transformer sees the value, which recurses (a 5,000-level object overflows its
 * stack), and before anything reaches Postgres, which refuses a NUL character in text:
 * - nested deeper than MAX_INPUT_DEPTH;
 * - a NUL character in any string or key;
 * - an unpaired surrogate in any string or key (text that is not well-formed Unicode: JSON's `"\ud800"` parses to one).
 *   Postgres cannot hold it (jsonb refuses it; text gets U+FFFD in its place), and validator.js's `isEmail` throws on
 *   it (URIError from `encodeURI`), which answered a request 500 until this check;
 * - a `__proto__` key (never a field of ours; assigning it would swap an object's prototype);
 * - a `constructor` key (never a field of ours: class-transformer takes an object's `constructor` field for its
 *   class and fails on it, so a request or message would otherwise fail instead of being refused), unless the
 *   value never goes through class-transformer (`constructorKeys: 'allowed'`, e.g. an imported Graph export).
 * The walk is iterative, so a hostile depth cannot overflow it. The answer never quotes the input.
 */
export function unsafeInputProblem(value: unknown, where: string, { constructorKeys = 'refused' }: { constructorKeys?: 'refused' | 'allowed' } = {}): string | null {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\0')) return `${where}: text must not contain NUL characters`;
      if (UNPAIRED_SURROGATE.test(current)) return `${where}: text must be well-formed Unicode (an unpaired surrogate)`;
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_INPUT_DEPTH) return `${where}: nested deeper than ${MAX_INPUT_DEPTH} levels`;
    for (const key of Object.keys(current)) {
      if (key.includes('\0')) return `${where}: field names must not contain NUL characters`;
      if (UNPAIRED_SURROGATE.test(key)) return `${where}: field names must be well-formed Unicode (an unpaired surrogate)`;
      if (key === '__proto__') return `${where}: the field name __proto__ is not accepted`;
      if (key === 'constructor' && constructorKeys === 'refused') return `${where}: the field name constructor is not accepted`;
      pending.push({ value: (current as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  return null;
}

// fast-check arbitraries of hostile input, shared by the HTTP and the NATS fuzzers: values of the wrong
// type, huge and NUL-bearing strings, odd unicode, deep nesting, prototype-pollution keys, text that is
// no JSON at all. Each yields either a value (to be serialized by the caller) or raw JSON text.
import fc from 'fast-check';

/** Strings that have broken parsers, databases and templates before. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0000'.repeat(64),
  '\ud800',
  '\udfff\ud800',
  '\u202eevil',
  '\ufeff',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👩‍👩‍👧‍👦',
  'Ω'.repeat(3000),
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00',
  '%2e%2e%2f',
  "' OR 1=1 --",
  '"; DROP TABLE runs; --',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  '-1',
  '1e309',
  'NaN',
  '9007199254740993',
  '2024-02-30T25:61:61Z',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
];

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([a, b]) => `${a}\u0000${b}`) },
  { weight: 1, arbitrary: fc.integer({ min: 300, max: 6_000 }).map((length) => 'x'.repeat(length)) },
);

/** JSON text nested `depth` levels deep, as objects or arrays. */
export function nestedJsonText(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** A value nested `depth` levels deep (to put inside an otherwise plausible object). */
export function nestedValue(depth: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level += 1) value = level % 2 === 0 ? [value] : { a: value };
  return value;
}

/** A deep-nesting depth: just past the limit (64) up to far past anything a recursive walk survives. */
export const hostileDepth: fc.Arbitrary<number> = fc.oneof(fc.integer({ min: 65, max: 200 }), fc.integer({ min: 4_000, max: 12_000 }));

/** Any JSON-serializable value of a type a field rarely expects. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53 + 2, -1e308, [], {}) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(nastyString, nastyString, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: 65, max: 300 }).map(nestedValue) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** JSON text of `objectText` with prototype-pollution keys spliced in (JSON.stringify cannot write `__proto__`). */
export function withPollutionKeys(objectText: string, keys: readonly string[]): string {
  const inner = objectText.trim().replace(/^\{/, '').replace(/\}$/, '');
  const polluting = keys.map((key) =>
    key === 'constructor' ? '"constructor":{"prototype":{"polluted":"yes"}}' : `${JSON.stringify(key)}:{"polluted":"yes","isAdmin":true}`,
  );
  return `{${[...polluting, inner].filter(Boolean).join(',')}}`;
}

export const pollutionKeys: fc.Arbitrary<string[]> = fc.subarray(['__proto__', 'constructor', 'prototype'], { minLength: 1 });

/** Text that is not JSON (or JSON cut short, or JSON with a raw control character). */
export const notJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('{', '{"a":', '[1,2', '{"a":1}}', "{'a':1}", '{"a":"\u0000"}', 'undefined', 'NaN', '\u0000', '{"a":1,}', '\ufeff{}'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }).filter((text) => !isJson(text)),
);

/** Any text that is a whole JSON document of a non-object kind (the body should have been an object). */
export const nonObjectJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('null', 'true', '0', '"text"', '[]', '[{}]', '"\\u0000"'),
  fc.array(hostileValue, { maxLength: 4 }).map((value) => JSON.stringify(value)),
);

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

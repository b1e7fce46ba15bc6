import { createHash } from 'node:crypto';
import { generateDemoPolicies } from '@policyvault/graph-emulator';
import { SECRET_ENVELOPE_MARKER, mapSecretEnvelopes } from '@policyvault/platform';
import { canonicalJson, contentHash } from './content-hash.js';

describe('content hash of a policy snapshot', () => {
  const snapshot = {
    id: 'a1',
    displayName: 'Baseline',
    lastModifiedDateTime: '2026-01-01T00:00:00Z',
    version: 3,
    '@odata.context': 'https://graph.microsoft.com/beta/$metadata#x',
    settings: [{ id: '1', value: { b: 2, a: 1 } }, { id: '2', version: 7 }],
  };

  it('ignores key order and volatile fields, but not nested data or array order', () => {
    const reordered = { settings: [{ value: { a: 1, b: 2 }, id: '1' }, { version: 7, id: '2' }], displayName: 'Baseline', id: 'a1' };
    expect(contentHash(reordered)).toBe(contentHash(snapshot));
    expect(contentHash({ ...snapshot, lastModifiedDateTime: '2027-01-01T00:00:00Z', version: 4 })).toBe(contentHash(snapshot));
    expect(contentHash({ ...snapshot, displayName: 'Baseline 2' })).not.toBe(contentHash(snapshot));
    // A nested "version" is configuration, not Graph's change counter.
    expect(contentHash({ ...snapshot, settings: [snapshot.settings[0], { id: '2', version: 8 }] })).not.toBe(contentHash(snapshot));
    expect(contentHash({ ...snapshot, settings: [...snapshot.settings].reverse() })).not.toBe(contentHash(snapshot));
  });

  it('writes canonical JSON', () => {
    expect(canonicalJson({ b: [1, { d: null, c: 'x' }], a: true })).toBe('{"a":true,"b":[1,{"c":"x","d":null}]}');
    expect(contentHash({})).toMatch(/^[0-9a-f]{64}$/);
  });
});

/**
 * The definition the one-walk writer must keep giving, byte for byte (stored content hashes and list entry hashes
 * depend on it): the snapshot copied with each envelope replaced by `{ secretDigest }`, then written with keys sorted.
 */
const VOLATILE_TOP = ['lastModifiedDateTime', 'version'];
const VOLATILE_ODATA = ['@odata.context', '@odata.etag', '@odata.nextLink', '@odata.deltaLink'];
function definitionJson(value: unknown, topLevel = true): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((entry) => definitionJson(entry, false)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([key, entry]) => entry !== undefined && !VOLATILE_ODATA.includes(key) && !(topLevel && VOLATILE_TOP.includes(key)))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${definitionJson(entry, false)}`).join(',')}}`;
}
function definitionHash(snapshot: Record<string, unknown>): string {
  const hashable = mapSecretEnvelopes(snapshot, (envelope) => {
    const { keyId, digest } = envelope[SECRET_ENVELOPE_MARKER];
    return { secretDigest: `${keyId}:${digest}` };
  });
  return createHash('sha256').update(definitionJson(hashable)).digest('hex');
}

/** A random JSON value as Graph could give it, with envelopes, volatile and unusual keys anywhere. */
function randomValue(random: () => number, depth: number): unknown {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const keys = ['id', 'displayName', 'version', 'lastModifiedDateTime', '@odata.type', '@odata.context', '@odata.etag', 'é', 'Z', 'a', '_', '10', '2', 'ü\u{1F600}', '\u00e9', 'e\u0301', 'value', '"q"', 'back\\slash'];
  const roll = random();
  if (depth <= 0 || roll < 0.35) {
    return pick<unknown>([null, true, false, 0, -0, 1.5, -3e-7, 1e21, 42, '', 'text', 'line\nbreak', 'quote " and \\', '\u2028', '\u{1F600}', undefined]);
  }
  if (roll < 0.45) return { [SECRET_ENVELOPE_MARKER]: { version: 1, algorithm: 'AES-256-GCM', keyId: pick(['k1', 'k2']), wrappedKey: String(random()), ciphertext: String(random()), digest: pick(['d1', 'd2']) } };
  if (roll < 0.7) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth - 1));
  const object: Record<string, unknown> = {};
  for (let count = Math.floor(random() * 6); count > 0; count -= 1) object[pick(keys)] = randomValue(random, depth - 1);
  return object;
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('the content hash written in one walk', () => {
  it('is byte for byte the definition on 5,000 random values (envelopes, volatile keys, unicode, nesting)', () => {
    const random = seededRandom(17);
    for (let run = 0; run < 5_000; run += 1) {
      const value = randomValue(random, 5);
      const snapshot = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
      expect(canonicalJson(snapshot)).toBe(definitionJson(snapshot));
      expect(canonicalJson(snapshot, false)).toBe(definitionJson(snapshot, false));
      expect(contentHash(snapshot)).toBe(definitionHash(snapshot));
    }
  });

  it('is the definition on every type of an emulated tenant, with secret values sealed', () => {
    const objects = generateDemoPolicies('00000000-0000-4000-8000-000000000017', { policiesPerType: 3 });
    expect(objects.length).toBeGreaterThan(40);
    for (const { object } of objects) {
      const sealed = { ...object, omaSettings: [{ omaUri: './x', value: { [SECRET_ENVELOPE_MARKER]: { keyId: 'k1', digest: 'd' } } }] };
      for (const snapshot of [object, sealed]) {
        expect(contentHash(snapshot)).toBe(definitionHash(snapshot));
        expect(canonicalJson(snapshot, false)).toBe(definitionJson(snapshot, false));
      }
    }
  });

  it('changes with a secret digest or key, not with the ciphertext', () => {
    const sealed = (keyId: string, digest: string, ciphertext: string) => ({ id: 'p', value: { [SECRET_ENVELOPE_MARKER]: { keyId, digest, ciphertext } } });
    expect(contentHash(sealed('k1', 'd1', 'c1'))).toBe(contentHash(sealed('k1', 'd1', 'c2')));
    expect(contentHash(sealed('k1', 'd1', 'c1'))).not.toBe(contentHash(sealed('k1', 'd2', 'c1')));
    expect(contentHash(sealed('k1', 'd1', 'c1'))).not.toBe(contentHash(sealed('k2', 'd1', 'c1')));
  });
});

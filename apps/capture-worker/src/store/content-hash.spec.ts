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

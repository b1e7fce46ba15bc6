import { idempotencyKeyOf, idempotencyScopeOf, requestHashOf } from './idempotency-request.js';

const withKey = (value: string | undefined) => ({ headers: value === undefined ? {} : { 'idempotency-key': value } });

describe('Idempotency-Key requests', () => {
  it('takes a key of visible ASCII (also quoted), none without the header, and refuses anything else', () => {
    expect(idempotencyKeyOf(withKey(undefined))).toBeUndefined();
    expect(idempotencyKeyOf(withKey('0b0e3c1e-6a2f-4c1e-9d4c-3f1a2b3c4d01'))).toBe('0b0e3c1e-6a2f-4c1e-9d4c-3f1a2b3c4d01');
    expect(idempotencyKeyOf(withKey('"abc"'))).toBe('abc');
    for (const bad of ['', 'two words', 'ä', 'x'.repeat(256), '""']) expect(() => idempotencyKeyOf(withKey(bad))).toThrow(/^Idempotency-Key: must be/);
  });

  it('scopes a key to the route with its path ids, lower-cased', () => {
    const request = { method: 'POST', routeOptions: { url: '/api/tenants/:tenantId/runs' }, params: { tenantId: 'ABC-1' }, url: '/x?y=1' };
    expect(idempotencyScopeOf(request)).toBe('POST /api/tenants/abc-1/runs');
  });

  it('scopes a request no route matched to its path without the query', () => {
    expect(idempotencyScopeOf({ method: 'POST', routeOptions: {}, params: {}, url: '/x?y=1' })).toBe('POST /x');
  });

  it('hashes a body the same whatever the order of its keys, and differently for different values', () => {
    expect(requestHashOf({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(requestHashOf({ b: { d: 'x', c: [1, 2] }, a: 1 }));
    expect(requestHashOf({ a: 1, b: { c: [2, 1] } })).not.toBe(requestHashOf({ a: 1, b: { c: [1, 2] } }));
    expect(requestHashOf('directoryId,displayName\n')).not.toBe(requestHashOf(undefined));
  });
});

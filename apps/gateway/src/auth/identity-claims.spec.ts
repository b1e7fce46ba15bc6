import { identityFromClaims } from './identity-claims.js';

describe('identityFromClaims', () => {
  it('prefers email, then preferred_username, then upn, lower-cased', () => {
    expect(identityFromClaims({ email: 'A@X.test', preferred_username: 'b@x.test', sub: 's' })).toEqual({ email: 'a@x.test', subject: 's' });
    expect(identityFromClaims({ preferred_username: 'B@x.test', upn: 'c@x.test', oid: 'o', sub: 's' })).toEqual({
      email: 'b@x.test',
      subject: 'o',
    });
    expect(identityFromClaims({ upn: 'C@x.test' })).toEqual({ email: 'c@x.test', subject: 'c@x.test' });
  });

  it('skips claims that are not addresses and returns null when none is', () => {
    expect(identityFromClaims({ preferred_username: 'not an address', upn: 'd@x.test' })?.email).toBe('d@x.test');
    expect(identityFromClaims({ email: 42, preferred_username: 'nobody' })).toBeNull();
    expect(identityFromClaims({ email: `${'a'.repeat(320)}@x.test` })).toBeNull();
  });
});

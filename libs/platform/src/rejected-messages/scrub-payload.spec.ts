import { scrubPayload } from './scrub-payload.js';

describe('scrubPayload', () => {
  it('redacts secret-looking keys at any depth and JWT-like strings anywhere', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl';
    const text = scrubPayload(
      JSON.stringify({ runId: 'r1', error: { context: { accessToken: 'abc', note: `Bearer ${jwt}` } }, items: [{ clientSecret: 's' }] }),
    );
    expect(JSON.parse(text)).toEqual({
      runId: 'r1',
      error: { context: { accessToken: '[redacted]', note: 'Bearer [redacted]' } },
      items: [{ clientSecret: '[redacted]' }],
    });
    expect(scrubPayload(`not json ${jwt}`)).toBe('not json [redacted]');
  });

  it('keeps at most 10,000 characters', () => {
    expect(scrubPayload('x'.repeat(20_000))).toHaveLength(10_000);
  });
});

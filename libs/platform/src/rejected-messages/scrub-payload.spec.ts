import { scrubPayload } from './scrub-payload.js';

describe('scrubPayload', () => {
  it('redacts secret-looking keys at any depth and JWT-like strings anywhere', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl';
    const bytes = scrubPayload(
      JSON.stringify({ runId: 'r1', error: { context: { accessToken: 'abc', note: `Bearer ${jwt}` } }, items: [{ clientSecret: 's' }] }),
    );
    expect(JSON.parse(bytes.toString('utf8'))).toEqual({
      runId: 'r1',
      error: { context: { accessToken: '[redacted]', note: 'Bearer [redacted]' } },
      items: [{ clientSecret: '[redacted]' }],
    });
    expect(scrubPayload(`not json ${jwt}`).toString('utf8')).toBe('not json [redacted]');
  });

  it('keeps NUL bytes and bytes that are no UTF-8 as they came, redacting JWT-like runs among them', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl';
    const payload = Buffer.concat([Buffer.from([0x00, 0xff, 0xfe, 0x7b]), Buffer.from(` ${jwt} `), Buffer.from([0xc3, 0x00])]);
    expect(scrubPayload(payload)).toEqual(Buffer.concat([Buffer.from([0x00, 0xff, 0xfe, 0x7b]), Buffer.from(' [redacted] '), Buffer.from([0xc3, 0x00])]));
    expect(scrubPayload('\ufeff{} not json')).toEqual(Buffer.from('\ufeff{} not json'));
    expect(scrubPayload('not json \u0000 here')).toEqual(Buffer.from([...Buffer.from('not json '), 0, ...Buffer.from(' here')]));
  });

  it('keeps at most 10,000 bytes', () => {
    expect(scrubPayload('x'.repeat(20_000))).toHaveLength(10_000);
  });
});

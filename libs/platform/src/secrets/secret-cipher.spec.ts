import { randomBytes } from 'node:crypto';
import { SecretCipher, SecretEnvelopeInvalidError, SecretKeyUnavailableError } from './secret-cipher.js';
import { SECRET_ENVELOPE_MARKER, containsSecretEnvelope, maskSecretEnvelopes, type SecretEnvelope } from './secret-envelope.js';
import { DEVELOPMENT_SECRET_KEY_ID, parseSecretKeys } from './secret-keys.js';

const key = () => randomBytes(32).toString('base64');
const PLAINTEXT = 'canary-wifi-psk-Ünïcödé-0123456789';

describe('SecretCipher (envelope encryption)', () => {
  const k1 = key();
  const k2 = key();
  const old = SecretCipher.fromConfiguration(`k1:${k1}`, 'k1');
  const rotated = SecretCipher.fromConfiguration(`k1:${k1},k2:${k2}`, 'k2');

  it('round-trips a value; the envelope names its key and holds neither plaintext nor data key in clear', () => {
    const envelope = old.encrypt(PLAINTEXT);
    const fields = envelope[SECRET_ENVELOPE_MARKER];
    expect(fields).toEqual({ version: 1, algorithm: 'AES-256-GCM', keyId: 'k1', wrappedKey: expect.any(String), ciphertext: expect.any(String), digest: expect.any(String) });
    expect(Buffer.from(fields.wrappedKey, 'base64')).toHaveLength(12 + 32 + 16);
    expect(JSON.stringify(envelope)).not.toContain(PLAINTEXT);
    expect(old.decrypt(envelope)).toBe(PLAINTEXT);
  });

  it('uses a fresh data key and iv per value, while the keyed digest is stable for one key and differs across keys', () => {
    const first = old.encrypt(PLAINTEXT)[SECRET_ENVELOPE_MARKER];
    const second = old.encrypt(PLAINTEXT)[SECRET_ENVELOPE_MARKER];
    expect(second.ciphertext).not.toBe(first.ciphertext);
    expect(second.wrappedKey).not.toBe(first.wrappedKey);
    expect(second.digest).toBe(first.digest);
    expect(old.encrypt('another value')[SECRET_ENVELOPE_MARKER].digest).not.toBe(first.digest);
    expect(rotated.encrypt(PLAINTEXT)[SECRET_ENVELOPE_MARKER].digest).not.toBe(first.digest);
  });

  it('matches a plaintext against the envelope by digest', () => {
    const envelope = old.encrypt(PLAINTEXT);
    expect(old.matches(envelope, PLAINTEXT)).toBe(true);
    expect(old.matches(envelope, `${PLAINTEXT} `)).toBe(false);
    expect(rotated.matches(envelope, PLAINTEXT)).toBe(true);
  });

  it.each([
    ['ciphertext', (fields: Record<string, unknown>) => (fields.ciphertext = flipLastByte(String(fields.ciphertext)))],
    ['wrapped key', (fields: Record<string, unknown>) => (fields.wrappedKey = flipLastByte(String(fields.wrappedKey)))],
    ['truncated ciphertext', (fields: Record<string, unknown>) => (fields.ciphertext = 'AAAA')],
    ['version', (fields: Record<string, unknown>) => (fields.version = 2)],
  ])('refuses an altered envelope (%s)', (_what, alter) => {
    const envelope = structuredClone(old.encrypt(PLAINTEXT));
    alter(envelope[SECRET_ENVELOPE_MARKER] as unknown as Record<string, unknown>);
    expect(() => old.decrypt(envelope)).toThrow(SecretEnvelopeInvalidError);
  });

  it('refuses a key id swapped for another configured key (the key id is authenticated)', () => {
    const envelope = structuredClone(rotated.encrypt(PLAINTEXT));
    envelope[SECRET_ENVELOPE_MARKER].keyId = 'k1';
    expect(() => rotated.decrypt(envelope)).toThrow(SecretEnvelopeInvalidError);
  });

  it('names a missing key id, never key material', () => {
    const envelope = rotated.encrypt(PLAINTEXT);
    expect(() => old.decrypt(envelope)).toThrow(SecretKeyUnavailableError);
    expect(() => old.decrypt(envelope)).toThrow('secret encryption key k2 is not configured');
    expect(() => old.matches(envelope, PLAINTEXT)).toThrow(SecretKeyUnavailableError);
    expect(old.hasKey('k2')).toBe(false);
  });

  it('a key with the right id but other material cannot open the value', () => {
    const impostor = SecretCipher.fromConfiguration(`k1:${key()}`, 'k1');
    expect(() => impostor.decrypt(old.encrypt(PLAINTEXT))).toThrow(SecretEnvelopeInvalidError);
  });

  it('rotation: the new active key wraps new values, the old key still opens old ones', () => {
    const before = old.encrypt(PLAINTEXT);
    const after = rotated.encrypt(PLAINTEXT);
    expect(after[SECRET_ENVELOPE_MARKER].keyId).toBe('k2');
    expect(rotated.decrypt(before)).toBe(PLAINTEXT);
    expect(rotated.decrypt(after)).toBe(PLAINTEXT);
  });

  it('refuses an active key that is not configured', () => {
    expect(() => SecretCipher.fromConfiguration(`k1:${k1}`, 'k9')).toThrow(SecretKeyUnavailableError);
  });

  it('the development key is marked as such', () => {
    expect(SecretCipher.development().usesDevelopmentKey).toBe(true);
    expect(SecretCipher.development().activeKeyId).toBe(DEVELOPMENT_SECRET_KEY_ID);
    expect(old.usesDevelopmentKey).toBe(false);
  });
});

describe('parseSecretKeys', () => {
  it('accepts keyId:base64 of 32 bytes, comma separated', () => {
    const parsed = parseSecretKeys(`a:${key()}, b.2025-01:${key()}`);
    expect(parsed.ok && [...parsed.keys.keys()]).toEqual(['a', 'b.2025-01']);
  });

  it('reports malformed entries, short keys and repeated ids without echoing key material', () => {
    const short = randomBytes(16).toString('base64');
    const parsed = parseSecretKeys(`a:${short},nocolon,a:${key()},b:${key()},b:${key()}`);
    expect(parsed).toEqual({ ok: false, problems: ['key a is not base64 of 32 bytes', 'entry 2 is not keyId:base64 (key ids: letters, digits, . _ -)', 'key id b appears twice'] });
    expect(JSON.stringify(parsed)).not.toContain(short);
  });
});

describe('envelopes inside objects', () => {
  it('masks every envelope at any depth as { secret: true } and finds them', () => {
    const cipher = SecretCipher.development();
    const object = { omaSettings: [{ omaUri: './a', value: cipher.encrypt(PLAINTEXT) }, { omaUri: './b', value: 'plain' }] };
    const masked = maskSecretEnvelopes(object);
    expect(masked).toEqual({ omaSettings: [{ omaUri: './a', value: { secret: true } }, { omaUri: './b', value: 'plain' }] });
    expect(containsSecretEnvelope(object)).toBe(true);
    expect(containsSecretEnvelope(masked)).toBe(false);
    expect((object.omaSettings[0].value as SecretEnvelope)[SECRET_ENVELOPE_MARKER]).toBeDefined();
  });
});

function flipLastByte(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[bytes.length - 1] ^= 0x01;
  return bytes.toString('base64');
}

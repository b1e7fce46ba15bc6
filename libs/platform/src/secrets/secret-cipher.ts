// Envelope encryption of secret values: each value gets its own random 256-bit data key (AES-256-GCM),
// and the data key is wrapped (AES-256-GCM) by the active key-encryption key from configuration. The
// envelope names the key id, so any configured key opens what it wrapped: rotation adds a new active
// key and keeps the old ones until nothing stored still needs them.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { SECRET_ENVELOPE_MARKER, isSecretEnvelope, type SecretEnvelope, type SecretEnvelopeFields } from './secret-envelope.js';
import { DEVELOPMENT_SECRET_KEYS, DEVELOPMENT_SECRET_KEY_ID, parseSecretKeys, SECRET_KEY_BYTES } from './secret-keys.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const DIGEST_INFO = 'policyvault secret digest v1';

/** The envelope names a key this process does not have (it was removed, or never configured here). */
export class SecretKeyUnavailableError extends Error {
  constructor(readonly keyId: string) {
    super(`secret encryption key ${keyId} is not configured`);
    this.name = 'SecretKeyUnavailableError';
  }
}

/** The envelope is malformed or was altered (authentication failed): its value cannot be trusted. */
export class SecretEnvelopeInvalidError extends Error {
  constructor() {
    super('a secret envelope is malformed or was altered');
    this.name = 'SecretEnvelopeInvalidError';
  }
}

export class SecretCipher {
  private readonly digestKeys = new Map<string, Buffer>();

  /**
   * @param keys key-encryption keys by id (32 bytes each)
   * @param activeKeyId the key new values are wrapped with; must be one of `keys`
   */
  constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    readonly activeKeyId: string,
  ) {
    for (const [keyId, key] of keys) if (key.length !== SECRET_KEY_BYTES) throw new Error(`secret encryption key ${keyId} must be ${SECRET_KEY_BYTES} bytes`);
    if (!keys.has(activeKeyId)) throw new SecretKeyUnavailableError(activeKeyId);
  }

  /** From SECRET_ENCRYPTION_KEYS / SECRET_ENCRYPTION_ACTIVE_KEY (already validated at boot). */
  static fromConfiguration(keysText: string, activeKeyId: string): SecretCipher {
    const parsed = parseSecretKeys(keysText);
    if (!parsed.ok) throw new Error(`SECRET_ENCRYPTION_KEYS: ${parsed.problems.join('; ')}`);
    return new SecretCipher(parsed.keys, activeKeyId);
  }

  /** The local development key (emulator only). */
  static development(): SecretCipher {
    return SecretCipher.fromConfiguration(DEVELOPMENT_SECRET_KEYS, DEVELOPMENT_SECRET_KEY_ID);
  }

  get usesDevelopmentKey(): boolean {
    return this.activeKeyId === DEVELOPMENT_SECRET_KEY_ID;
  }

  hasKey(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  encrypt(plaintext: string): SecretEnvelope {
    const keyId = this.activeKeyId;
    const dataKey = randomBytes(SECRET_KEY_BYTES);
    try {
      const fields: SecretEnvelopeFields = {
        version: 1,
        algorithm: 'AES-256-GCM',
        keyId,
        wrappedKey: seal(this.key(keyId), dataKey, additionalData('key', keyId)),
        ciphertext: seal(dataKey, Buffer.from(plaintext, 'utf8'), additionalData('value', keyId)),
        digest: this.digest(plaintext, keyId),
      };
      return { [SECRET_ENVELOPE_MARKER]: fields };
    } finally {
      dataKey.fill(0);
    }
  }

  /** The plaintext; throws SecretKeyUnavailableError or SecretEnvelopeInvalidError. */
  decrypt(envelope: SecretEnvelope): string {
    const fields = fieldsOf(envelope);
    const dataKey = open(this.key(fields.keyId), fields.wrappedKey, additionalData('key', fields.keyId));
    try {
      if (dataKey.length !== SECRET_KEY_BYTES) throw new SecretEnvelopeInvalidError();
      return open(dataKey, fields.ciphertext, additionalData('value', fields.keyId)).toString('utf8');
    } finally {
      dataKey.fill(0);
    }
  }

  /** Whether `plaintext` is the envelope's value, by its keyed digest (no decryption). */
  matches(envelope: SecretEnvelope, plaintext: string): boolean {
    const fields = fieldsOf(envelope);
    const expected = Buffer.from(fields.digest, 'base64url');
    const actual = Buffer.from(this.digest(plaintext, fields.keyId), 'base64url');
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  /** HMAC-SHA256 of the plaintext under a key derived (HKDF) from the named key-encryption key. */
  digest(plaintext: string, keyId: string = this.activeKeyId): string {
    let digestKey = this.digestKeys.get(keyId);
    if (!digestKey) {
      digestKey = Buffer.from(hkdfSync('sha256', this.key(keyId), Buffer.alloc(0), DIGEST_INFO, SECRET_KEY_BYTES));
      this.digestKeys.set(keyId, digestKey);
    }
    return createHmac('sha256', digestKey).update(plaintext, 'utf8').digest('base64url');
  }

  private key(keyId: string): Buffer {
    const key = this.keys.get(keyId);
    if (!key) throw new SecretKeyUnavailableError(keyId);
    return key;
  }
}

/** Binds each ciphertext to its role and key id, so neither can be swapped without failing authentication. */
function additionalData(role: 'key' | 'value', keyId: string): Buffer {
  return Buffer.from(`policyvault-secret:v1:${role}:${keyId}`, 'utf8');
}

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64');
}

function open(key: Buffer, sealed: string, aad: Buffer): Buffer {
  const bytes = Buffer.from(sealed, 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new SecretEnvelopeInvalidError();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SecretEnvelopeInvalidError();
  }
}

function fieldsOf(envelope: SecretEnvelope): SecretEnvelopeFields {
  if (!isSecretEnvelope(envelope)) throw new SecretEnvelopeInvalidError();
  const fields = envelope[SECRET_ENVELOPE_MARKER];
  const strings = [fields.keyId, fields.wrappedKey, fields.ciphertext, fields.digest].every((value) => typeof value === 'string');
  if (fields.version !== 1 || fields.algorithm !== 'AES-256-GCM' || !strings) throw new SecretEnvelopeInvalidError();
  return fields;
}

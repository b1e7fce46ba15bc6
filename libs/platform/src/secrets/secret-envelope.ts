// The stored form of a secret value (e.g. an encrypted OMA-URI value of a device configuration): an
// envelope that replaces the plaintext wherever it sat in a snapshot. Only its key id and its keyed
// digest are meaningful without the key; everything else is AES-256-GCM output.

/** The one property that marks an envelope; nothing Graph returns uses it. */
export const SECRET_ENVELOPE_MARKER = 'policyVaultSecret';

export interface SecretEnvelopeFields {
  /** Format version (1). */
  version: 1;
  algorithm: 'AES-256-GCM';
  /** Id of the key-encryption key that wrapped the data key (one of SECRET_ENCRYPTION_KEYS). */
  keyId: string;
  /** The value's random data key, encrypted with the key-encryption key: base64 of iv (12) ‖ ciphertext (32) ‖ tag (16). */
  wrappedKey: string;
  /** The UTF-8 value encrypted with the data key: base64 of iv (12) ‖ ciphertext ‖ tag (16). */
  ciphertext: string;
  /**
   * HMAC-SHA256 of the plaintext under a key derived from the key-encryption key (base64url): equal
   * values under one key have equal digests, so content hashes and restore comparisons need no decryption.
   */
  digest: string;
}

export interface SecretEnvelope {
  [SECRET_ENVELOPE_MARKER]: SecretEnvelopeFields;
}

/** What every view and preview shows in place of a secret value: never its plaintext or ciphertext. */
export const SECRET_VALUE_VIEW: Readonly<{ secret: true }> = Object.freeze({ secret: true });

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** True for anything carrying the envelope marker (its fields are checked when it is opened). */
export function isSecretEnvelope(value: unknown): value is SecretEnvelope {
  return isPlainObject(value) && isPlainObject(value[SECRET_ENVELOPE_MARKER]);
}

/** A deep copy of `value` with every envelope replaced by what `replace` returns for it. */
export function mapSecretEnvelopes(value: unknown, replace: (envelope: SecretEnvelope) => unknown): unknown {
  if (isSecretEnvelope(value)) return replace(value);
  if (Array.isArray(value)) return value.map((entry) => mapSecretEnvelopes(entry, replace));
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, mapSecretEnvelopes(entry, replace)]));
}

/** The object as views show it: every secret value `{ secret: true }`. */
export function maskSecretEnvelopes<T>(value: T): T {
  return mapSecretEnvelopes(value, () => ({ ...SECRET_VALUE_VIEW })) as T;
}

/** True when the value holds at least one envelope at any depth. */
export function containsSecretEnvelope(value: unknown): boolean {
  if (isSecretEnvelope(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecretEnvelope);
  return isPlainObject(value) && Object.values(value).some(containsSecretEnvelope);
}

/** The JSON path of every envelope in `value` (`omaSettings[1].value`; `$` for the value itself), in document order. */
export function secretEnvelopePaths(value: unknown, path = ''): string[] {
  if (isSecretEnvelope(value)) return [path === '' ? '$' : path];
  if (Array.isArray(value)) return value.flatMap((entry, index) => secretEnvelopePaths(entry, `${path}[${index}]`));
  if (!isPlainObject(value)) return [];
  return Object.entries(value).flatMap(([key, entry]) => secretEnvelopePaths(entry, path === '' ? key : `${path}.${key}`));
}

import { isSecretEnvelope, type SecretEnvelope } from '@policyvault/platform';
import { isPlainObject } from '../contracts/strip-for-write.js';

type GraphObject = Record<string, unknown>;

/** How previews, drift reports and version compares show a secret value (never its plaintext or ciphertext). */
export const SECRET_VALUE_UNCHANGED = 'secret value, unchanged';
export const SECRET_VALUE_CHANGED = 'secret value, changed';
/** The other side of a changed secret value (live, or the older version). */
export const SECRET_VALUE_LIVE = 'secret value';

/** Which secret values (by OMA-URI) are the same on both sides of a comparison. */
export interface SecretComparison {
  unchanged: ReadonlySet<string>;
}

export const NO_SECRET_VALUES: SecretComparison = { unchanged: new Set() };

/** An object's OMA-URI settings whose value is a stored envelope, by OMA-URI. */
export function sealedSettings(object: GraphObject): Array<{ omaUri: string; envelope: SecretEnvelope }> {
  const settings = Array.isArray(object.omaSettings) ? object.omaSettings : [];
  return settings.flatMap((setting) => (isPlainObject(setting) && isSecretEnvelope(setting.value) ? [{ omaUri: String(setting.omaUri), envelope: setting.value }] : []));
}

/**
 * An object's OMA-URI settings with each secret (a stored envelope, or a value Graph reads masked) as
 * `secretValue` gives it, and without Graph's read-only `secretReferenceValueId` (a write must not carry
 * it; it differs between any two objects anyway).
 */
export function withSecretSettings(object: GraphObject, secretValue: (setting: GraphObject) => unknown): GraphObject {
  if (!Array.isArray(object.omaSettings)) return object;
  const omaSettings = object.omaSettings.map((setting) => {
    if (!isPlainObject(setting) || !(isSecretEnvelope(setting.value) || (setting.isEncrypted === true && 'secretReferenceValueId' in setting))) return setting;
    const { secretReferenceValueId: _reference, ...rest } = setting;
    return { ...rest, value: secretValue(setting) };
  });
  return { ...object, omaSettings };
}

/**
 * A comparable object (either side) with secret values as the words a diff shows: equal on both sides
 * when the value is the same, `secret value` → `secret value, changed` when not.
 */
export function withSecretMarkers(comparable: GraphObject, comparison: SecretComparison, side: 'live' | 'snapshot'): GraphObject {
  return withSecretSettings(comparable, (setting) => {
    if (comparison.unchanged.has(String(setting.omaUri))) return SECRET_VALUE_UNCHANGED;
    return side === 'snapshot' ? SECRET_VALUE_CHANGED : SECRET_VALUE_LIVE;
  });
}

/**
 * Two stored versions' secret values compared without opening them: equal when sealed under the same
 * key with the same keyed digest. A value re-encrypted under another key (rotation) counts as changed.
 */
export function compareSealedSecrets(from: GraphObject, to: GraphObject): SecretComparison {
  const earlier = new Map(sealedSettings(from).map(({ omaUri, envelope }) => [omaUri, envelope.policyVaultSecret]));
  const unchanged = new Set<string>();
  for (const { omaUri, envelope } of sealedSettings(to)) {
    const before = earlier.get(omaUri);
    if (before && before.keyId === envelope.policyVaultSecret.keyId && before.digest === envelope.policyVaultSecret.digest) unchanged.add(omaUri);
  }
  return { unchanged };
}

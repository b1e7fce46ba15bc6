import { createHash } from 'node:crypto';
import { SECRET_ENVELOPE_MARKER, isSecretEnvelope } from '@policyvault/platform';

/**
 * Properties left out of the content hash because Graph changes them without the configuration
 * changing: the modification stamp and counter on the object itself, and OData response metadata
 * anywhere in it.
 */
const VOLATILE_TOP_LEVEL_PROPERTIES: ReadonlySet<string> = new Set(['lastModifiedDateTime', 'version']);
const VOLATILE_ODATA_ANNOTATIONS: ReadonlySet<string> = new Set(['@odata.context', '@odata.etag', '@odata.nextLink', '@odata.deltaLink']);

/** Object keys as JSON strings, remembered: Graph objects repeat a small vocabulary of property names. */
const quotedKeys = new Map<string, string>();
const QUOTED_KEYS_MAX = 20_000;

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < QUOTED_KEYS_MAX) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/**
 * The canonical text of `value` in one walk, without copying it: object keys sorted (UTF-16 code units) at every
 * depth, undefined properties and OData annotations left out, the volatile top-level properties left out at the
 * top; with `hashSecrets`, each envelope written as `{"secretDigest":"<key id>:<digest>"}`. Arrays come from
 * JSON, so they have no holes.
 */
function writeCanonical(value: unknown, topLevel: boolean, hashSecrets: boolean): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (hashSecrets && isSecretEnvelope(value)) {
    const { keyId, digest } = value[SECRET_ENVELOPE_MARKER];
    return `{"secretDigest":${JSON.stringify(`${keyId}:${digest}`)}}`;
  }
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index += 1) text += (index === 0 ? '' : ',') + writeCanonical(value[index], false, hashSecrets);
    return `${text}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  let text = '{';
  for (const key of keys) {
    const entry = object[key];
    if (entry === undefined || VOLATILE_ODATA_ANNOTATIONS.has(key) || (topLevel && VOLATILE_TOP_LEVEL_PROPERTIES.has(key))) continue;
    text += (text.length === 1 ? '' : ',') + quoteKey(key) + ':' + writeCanonical(entry, false, hashSecrets);
  }
  return `${text}}`;
}

/**
 * JSON with object keys sorted at every depth: equal content gives an equal string. Properties Graph changes
 * without the configuration changing are left out: OData response metadata anywhere, and, at the top level
 * (`topLevel`, the default), the object's modification stamp and counter. Everything else counts, array order
 * included (settings order can matter).
 */
export function canonicalJson(value: unknown, topLevel = true): string {
  return writeCanonical(value, topLevel, false);
}

/**
 * sha256 (hex) of the canonical snapshot: the identity of a policy version's content. A secret value
 * counts by its key id and keyed digest (SecretCipher.digest), never by its ciphertext, which is random
 * per capture: the same secret under the same key hashes the same, a changed secret changes the hash.
 * A new active key changes the digests, so the next capture after a rotation stores a new version
 * encrypted with the new key (the re-encryption path, README). The text hashed is `canonicalJson` of the
 * snapshot with each envelope as `{ secretDigest }`, written in one walk (stored hashes depend on it staying so).
 */
export function contentHash(snapshot: Record<string, unknown>): string {
  return createHash('sha256').update(writeCanonical(snapshot, true, true)).digest('hex');
}

import { createHash } from 'node:crypto';
import { SECRET_ENVELOPE_MARKER, mapSecretEnvelopes } from '@policyvault/platform';

/**
 * Properties left out of the content hash because Graph changes them without the configuration
 * changing: the modification stamp and counter on the object itself, and OData response metadata
 * anywhere in it. Everything else counts, array order included (settings order can matter).
 */
const VOLATILE_TOP_LEVEL_PROPERTIES: readonly string[] = ['lastModifiedDateTime', 'version'];
const VOLATILE_ODATA_ANNOTATIONS: readonly string[] = ['@odata.context', '@odata.etag', '@odata.nextLink', '@odata.deltaLink'];

/** JSON with object keys sorted at every depth: equal content gives an equal string. */
export function canonicalJson(value: unknown, topLevel = true): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((entry) => canonicalJson(entry, false)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([key, entry]) => entry !== undefined && !VOLATILE_ODATA_ANNOTATIONS.includes(key) && !(topLevel && VOLATILE_TOP_LEVEL_PROPERTIES.includes(key)))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry, false)}`).join(',')}}`;
}

/**
 * sha256 (hex) of the canonical snapshot: the identity of a policy version's content. A secret value
 * counts by its key id and keyed digest (SecretCipher.digest), never by its ciphertext, which is random
 * per capture: the same secret under the same key hashes the same, a changed secret changes the hash.
 * A new active key changes the digests, so the next capture after a rotation stores a new version
 * encrypted with the new key (the re-encryption path, README).
 */
export function contentHash(snapshot: Record<string, unknown>): string {
  const hashable = mapSecretEnvelopes(snapshot, (envelope) => {
    const { keyId, digest } = envelope[SECRET_ENVELOPE_MARKER];
    return { secretDigest: `${keyId}:${digest}` };
  });
  return createHash('sha256').update(canonicalJson(hashable)).digest('hex');
}

// Key-encryption keys from configuration: `SECRET_ENCRYPTION_KEYS=keyId:base64,keyId:base64` (each key
// 32 random bytes, e.g. `openssl rand -base64 32`) and `SECRET_ENCRYPTION_ACTIVE_KEY=keyId`.
import { createHash } from 'node:crypto';

export const SECRET_KEY_BYTES = 32;
export const SECRET_KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Parsed keys, or the problems (never the key material) that made the value unusable. */
export type ParsedSecretKeys = { ok: true; keys: Map<string, Buffer> } | { ok: false; problems: string[] };

export function parseSecretKeys(text: string): ParsedSecretKeys {
  const keys = new Map<string, Buffer>();
  const problems: string[] = [];
  const entries = text.split(',').map((entry) => entry.trim());
  entries.forEach((entry, index) => {
    const separator = entry.indexOf(':');
    const keyId = separator > 0 ? entry.slice(0, separator) : '';
    const material = separator > 0 ? entry.slice(separator + 1) : '';
    if (!SECRET_KEY_ID_PATTERN.test(keyId)) return problems.push(`entry ${index + 1} is not keyId:base64 (key ids: letters, digits, . _ -)`);
    if (keys.has(keyId)) return problems.push(`key id ${keyId} appears twice`);
    const bytes = BASE64.test(material) ? Buffer.from(material, 'base64') : Buffer.alloc(0);
    if (bytes.length !== SECRET_KEY_BYTES) return problems.push(`key ${keyId} is not base64 of ${SECRET_KEY_BYTES} bytes`);
    keys.set(keyId, bytes);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, keys };
}

/**
 * The key of a local checkout, used only against the Graph emulator (npm start, docker compose, tests)
 * when SECRET_ENCRYPTION_KEYS is not set. Anyone can derive it from this file: never for real tenants.
 */
export const DEVELOPMENT_SECRET_KEY_ID = 'local-development';
export const DEVELOPMENT_SECRET_KEYS = `${DEVELOPMENT_SECRET_KEY_ID}:${createHash('sha256').update('policyvault-local-development-secret-key-not-for-production').digest('base64')}`;

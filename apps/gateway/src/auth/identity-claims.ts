import type { JWTPayload } from 'jose';
import type { TokenIdentity } from './authenticated-identity.js';

const MAX_EMAIL_LENGTH = 320;

/**
 * The caller's email from the first claim that carries one: `email`, then `preferred_username`
 * (Entra v2 access tokens), then `upn` (Entra v1). Null when none looks like an address.
 */
export function identityFromClaims(payload: JWTPayload): TokenIdentity | null {
  const email = [payload.email, payload.preferred_username, payload.upn]
    .find((claim): claim is string => typeof claim === 'string' && looksLikeEmail(claim))
    ?.toLowerCase();
  if (!email) return null;
  const subject = typeof payload.oid === 'string' ? payload.oid : (payload.sub ?? email);
  return { email, subject };
}

function looksLikeEmail(value: string): boolean {
  const at = value.indexOf('@');
  return value.length <= MAX_EMAIL_LENGTH && at > 0 && at < value.length - 1 && !/\s/.test(value);
}

// C0 controls and DEL: no claim of a real identity provider holds them, and Postgres refuses NUL in text.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** Whether any claim (at any depth, names included) holds a control character; iterative, so depth is harmless. */
export function claimsHoldControlCharacters(payload: JWTPayload): boolean {
  const pending: unknown[] = [payload];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string' && CONTROL_CHARACTER.test(value)) return true;
    if (typeof value !== 'object' || value === null) continue;
    for (const [name, claim] of Object.entries(value)) {
      if (CONTROL_CHARACTER.test(name)) return true;
      pending.push(claim);
    }
  }
  return false;
}

// Development bearer tokens: HS256, signed with a shared key, accepted by the gateway when
// AUTH_MODE=development. Shared by the gateway, `npm run token` and the tests so they agree on
// issuer, audience and algorithm. Production uses an OIDC provider instead (AUTH_MODE=oidc).
import { SignJWT } from 'jose';

export const DEVELOPMENT_TOKEN_ISSUER = 'policyvault-dev';
export const DEVELOPMENT_TOKEN_AUDIENCE = 'policyvault-api';
export const DEVELOPMENT_TOKEN_ALGORITHM = 'HS256';

/**
 * The signing key of a local checkout (the value `.env.example` and docker-compose use).
 * Development only: anyone can read it here, so a gateway that trusts it trusts everyone.
 */
export const LOCAL_DEVELOPMENT_SIGNING_KEY = 'policyvault-local-development-signing-key-not-for-production';

export interface DevelopmentTokenOptions {
  email: string;
  signingKey: string;
  /** Seconds from now (negative for an already expired token) or a jose time span such as "8h". */
  expiresIn?: number | string;
  /** The `oid` claim; defaults to none (the gateway then uses `sub`, which defaults to the email). */
  objectId?: string;
  subject?: string;
  name?: string;
  /** For tests of rejected tokens only. */
  issuer?: string;
  audience?: string;
}

export function developmentSigningKey(signingKey: string): Uint8Array {
  return new TextEncoder().encode(signingKey);
}

export async function signDevelopmentToken(options: DevelopmentTokenOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const expiresIn = options.expiresIn ?? '1h';
  const claims: Record<string, string> = { email: options.email };
  if (options.objectId) claims.oid = options.objectId;
  if (options.name) claims.name = options.name;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: DEVELOPMENT_TOKEN_ALGORITHM, typ: 'JWT' })
    .setIssuer(options.issuer ?? DEVELOPMENT_TOKEN_ISSUER)
    .setAudience(options.audience ?? DEVELOPMENT_TOKEN_AUDIENCE)
    .setSubject(options.subject ?? options.email)
    .setIssuedAt(typeof expiresIn === 'number' && expiresIn < 0 ? now + expiresIn - 60 : now)
    .setExpirationTime(typeof expiresIn === 'number' ? now + expiresIn : expiresIn)
    .sign(developmentSigningKey(options.signingKey));
}

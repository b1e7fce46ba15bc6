import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ExpiringCache } from '../common/expiring-cache.js';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import type { TokenIdentity } from './authenticated-identity.js';
import { claimsHoldControlCharacters, identityFromClaims } from './identity-claims.js';

export interface AccessTokenVerifierOptions {
  issuer: string;
  audience: string;
  algorithms: string[];
  /** A symmetric key (development) or a key resolver (JWKS). */
  key: Uint8Array | JWTVerifyGetKey;
}

const CLOCK_TOLERANCE_SECONDS = 30;
/** A verified token is reused this long at most (never beyond its expiry). */
const VERIFIED_TOKEN_TTL_MS = 60_000;
const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

/** Raised by a key resolver that could not reach the identity provider (not the caller's fault). */
export class KeySourceUnavailableError extends Error {
  override readonly name = 'KeySourceUnavailableError';
}

/**
 * Verifies bearer tokens (signature, algorithm allow-list, issuer, audience, expiry, no control characters in any
 * claim) and reads the caller's identity from them. A verified token is remembered briefly so that a client sending the
 * same token many times a second pays for the signature check once.
 */
export class AccessTokenVerifier {
  private readonly verified = new ExpiringCache<string, TokenIdentity>(VERIFIED_TOKEN_CACHE_SIZE);

  constructor(private readonly options: AccessTokenVerifierOptions) {}

  async verify(token: string): Promise<TokenIdentity> {
    const cached = this.verified.get(token);
    if (cached) return cached;
    const payload = await this.verifySignatureAndClaims(token);
    if (claimsHoldControlCharacters(payload)) throw unauthenticated('bearer token claims hold control characters');
    const identity = identityFromClaims(payload);
    if (!identity) throw unauthenticated('bearer token carries no email, preferred_username or upn claim');
    const lifetimeMs = (payload.exp as number) * 1000 - Date.now();
    this.verified.set(token, identity, Math.min(VERIFIED_TOKEN_TTL_MS, lifetimeMs));
    return identity;
  }

  private async verifySignatureAndClaims(token: string): Promise<JWTPayload> {
    const { issuer, audience, algorithms, key } = this.options;
    const verifyOptions = { issuer, audience, algorithms, clockTolerance: CLOCK_TOLERANCE_SECONDS, requiredClaims: ['exp'] };
    try {
      const { payload } =
        key instanceof Uint8Array ? await jwtVerify(token, key, verifyOptions) : await jwtVerify(token, key, verifyOptions);
      return payload;
    } catch (error) {
      throw verificationFailure(error);
    }
  }
}

function verificationFailure(error: unknown): GatewayException {
  if (error instanceof KeySourceUnavailableError) {
    return new GatewayException(GatewayErrorCode.IdentityProviderUnavailable, 'the identity provider cannot be reached; try again');
  }
  if (error instanceof errors.JWTExpired) return unauthenticated('bearer token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) return unauthenticated(`bearer token ${error.claim} claim is not accepted`);
  return unauthenticated('bearer token is invalid');
}

function unauthenticated(message: string): GatewayException {
  return new GatewayException(GatewayErrorCode.Unauthenticated, message);
}

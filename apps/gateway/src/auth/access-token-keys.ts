import { createRemoteJWKSet, errors, type JWTVerifyGetKey } from 'jose';
import { developmentSigningKey, DEVELOPMENT_TOKEN_ALGORITHM, DEVELOPMENT_TOKEN_AUDIENCE, DEVELOPMENT_TOKEN_ISSUER } from '@policyvault/platform';
import type { GatewayConfig } from '../gateway.config.js';
import { KeySourceUnavailableError, type AccessTokenVerifierOptions } from './access-token.verifier.js';

/** Asymmetric algorithms only: an OIDC provider never signs with a shared secret (no HS*, no "none"). */
export const OIDC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export function accessTokenVerifierOptions(config: GatewayConfig): AccessTokenVerifierOptions {
  if (config.AUTH_MODE === 'development') {
    return {
      issuer: DEVELOPMENT_TOKEN_ISSUER,
      audience: DEVELOPMENT_TOKEN_AUDIENCE,
      algorithms: [DEVELOPMENT_TOKEN_ALGORITHM],
      key: developmentSigningKey(config.AUTH_DEV_SIGNING_KEY as string),
    };
  }
  const issuer = config.AUTH_OIDC_ISSUER as string;
  return {
    issuer,
    audience: config.AUTH_OIDC_AUDIENCE as string,
    algorithms: OIDC_ALGORITHMS,
    key: remoteKeys(config.AUTH_OIDC_JWKS_URI ? () => Promise.resolve(config.AUTH_OIDC_JWKS_URI as string) : () => discoverJwksUri(issuer)),
  };
}

/**
 * The provider's JWKS, fetched on first use and cached by jose (refetched at most every 30 s when a
 * token names an unknown key). A fetch failure surfaces as KeySourceUnavailableError (503), never 401.
 */
export function remoteKeys(jwksUri: () => Promise<string>): JWTVerifyGetKey {
  let keySet: Promise<JWTVerifyGetKey> | undefined;
  return async (header, token) => {
    keySet ??= jwksUri().then((uri) => createRemoteJWKSet(new URL(uri), { timeoutDuration: 5000, cooldownDuration: 30_000 }));
    let resolve: JWTVerifyGetKey;
    try {
      resolve = await keySet;
    } catch (error) {
      keySet = undefined;
      throw new KeySourceUnavailableError(`JWKS discovery failed: ${(error as Error).message}`);
    }
    try {
      return await resolve(header, token);
    } catch (error) {
      // The token names a key the provider does not publish: the token's fault (401).
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      throw new KeySourceUnavailableError(`JWKS fetch failed: ${(error as Error).message}`);
    }
  };
}

/** `<issuer>/.well-known/openid-configuration` → jwks_uri (Entra: `<authority>/discovery/v2.0/keys`). */
export async function discoverJwksUri(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const document = (await response.json()) as { jwks_uri?: unknown };
  if (typeof document.jwks_uri !== 'string') throw new Error(`${url} has no jwks_uri`);
  return document.jwks_uri;
}

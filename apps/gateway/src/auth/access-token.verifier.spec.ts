import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import {
  DEVELOPMENT_TOKEN_AUDIENCE,
  DEVELOPMENT_TOKEN_ISSUER,
  developmentSigningKey,
  signDevelopmentToken,
} from '@policyvault/platform';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { discoverJwksUri, OIDC_ALGORITHMS, remoteKeys } from './access-token-keys.js';
import { AccessTokenVerifier } from './access-token.verifier.js';

const SIGNING_KEY = 'unit-test-signing-key-0123456789-abcdefghij';

async function rejection(promise: Promise<unknown>): Promise<GatewayException> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayException) return error;
    throw error;
  }
  throw new Error('expected the token to be rejected');
}

describe('AccessTokenVerifier in development mode (HS256)', () => {
  const verifier = new AccessTokenVerifier({
    issuer: DEVELOPMENT_TOKEN_ISSUER,
    audience: DEVELOPMENT_TOKEN_AUDIENCE,
    algorithms: ['HS256'],
    key: developmentSigningKey(SIGNING_KEY),
  });

  it('accepts a good token and lower-cases the email', async () => {
    const token = await signDevelopmentToken({ email: 'Owner@Contoso.TEST', signingKey: SIGNING_KEY, objectId: 'oid-1' });
    await expect(verifier.verify(token)).resolves.toEqual({ email: 'owner@contoso.test', subject: 'oid-1' });
  });

  it.each([
    ['expired', { expiresIn: -120 }, 'bearer token has expired'],
    ['signed with another key', { signingKey: 'another-signing-key-0123456789-abcdefghijkl' }, 'bearer token is invalid'],
    ['for another audience', { audience: 'someone-else' }, 'bearer token aud claim is not accepted'],
    ['from another issuer', { issuer: 'someone-else' }, 'bearer token iss claim is not accepted'],
  ])('rejects a token %s with 401', async (_, overrides, message) => {
    const token = await signDevelopmentToken({ email: 'owner@contoso.test', signingKey: SIGNING_KEY, ...overrides });
    const error = await rejection(verifier.verify(token));
    expect(error.code).toBe(GatewayErrorCode.Unauthenticated);
    expect(error.detail).toBe(message);
  });

  it('rejects garbage, an unsigned token and a token without expiry', async () => {
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"email":"a@b.c"}').toString('base64url')}.`;
    const noExpiry = await new SignJWT({ email: 'owner@contoso.test' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(DEVELOPMENT_TOKEN_ISSUER)
      .setAudience(DEVELOPMENT_TOKEN_AUDIENCE)
      .sign(developmentSigningKey(SIGNING_KEY));
    for (const token of ['not-a-token', 'a.b.c', unsigned, noExpiry]) {
      expect((await rejection(verifier.verify(token))).code).toBe(GatewayErrorCode.Unauthenticated);
    }
  });

  it('rejects a signed token whose claims hold NUL or other control characters (401, never a database error)', async () => {
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(DEVELOPMENT_TOKEN_ISSUER)
        .setAudience(DEVELOPMENT_TOKEN_AUDIENCE)
        .setExpirationTime('1h')
        .sign(developmentSigningKey(SIGNING_KEY));
    for (const claims of [
      { email: 'owner@contoso.test\u0000' },
      { email: 'owner@contoso.test', sub: 'a\u0000b' },
      { email: 'owner@contoso.test', oid: 'line\nbreak' },
      { email: 'owner@contoso.test', extra: { deep: ['\u0007'] } },
      { email: 'owner@contoso.test', 'na\u0000me': 'x' },
    ]) {
      const error = await rejection(verifier.verify(await sign(claims)));
      expect(error.code).toBe(GatewayErrorCode.Unauthenticated);
      expect(error.detail).toBe('bearer token claims hold control characters');
    }
  });

  it('rejects a token without any email claim', async () => {
    const token = await new SignJWT({ sub: 'no-email' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(DEVELOPMENT_TOKEN_ISSUER)
      .setAudience(DEVELOPMENT_TOKEN_AUDIENCE)
      .setExpirationTime('1h')
      .sign(developmentSigningKey(SIGNING_KEY));
    const error = await rejection(verifier.verify(token));
    expect(error.code).toBe(GatewayErrorCode.Unauthenticated);
    expect(error.detail).toMatch(/no email/);
  });
});

describe('AccessTokenVerifier in OIDC mode (JWKS)', () => {
  const issuer = 'https://login.example.test/msp/v2.0';
  const audience = 'api://policyvault';
  let server: Server;
  let baseUrl: string;
  let providerKey: KeyLike;
  let jwksRequests = 0;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    providerKey = privateKey;
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' }] };
    server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.url === '/.well-known/openid-configuration') {
        response.end(JSON.stringify({ issuer, jwks_uri: `${baseUrl}/discovery/v2.0/keys` }));
      } else if (request.url === '/discovery/v2.0/keys') {
        jwksRequests += 1;
        response.end(JSON.stringify(jwks));
      } else {
        response.statusCode = 404;
        response.end('{}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const verifierFor = (jwksUri: () => Promise<string>) =>
    new AccessTokenVerifier({ issuer, audience, algorithms: OIDC_ALGORITHMS, key: remoteKeys(jwksUri) });

  const providerToken = (claims: Record<string, unknown>, options: { key?: KeyLike; audience?: string; expiresAt?: number } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setIssuer(issuer)
      .setAudience(options.audience ?? audience)
      .setExpirationTime(options.expiresAt ?? '1h')
      .sign(options.key ?? providerKey);

  it('verifies against the JWKS found through the issuer discovery document, fetched once', async () => {
    const verifier = verifierFor(() => discoverJwksUri(baseUrl));
    const requestsBefore = jwksRequests;
    const token = await providerToken({ preferred_username: 'Operator@Contoso.test', oid: 'entra-object-id' });
    await expect(verifier.verify(token)).resolves.toEqual({ email: 'operator@contoso.test', subject: 'entra-object-id' });
    const other = await providerToken({ upn: 'reader@contoso.test', sub: 'subject-2' });
    await expect(verifier.verify(other)).resolves.toEqual({ email: 'reader@contoso.test', subject: 'subject-2' });
    expect(jwksRequests - requestsBefore).toBe(1);
  });

  it('rejects expired tokens, other audiences, other keys and symmetric algorithms with 401', async () => {
    const verifier = verifierFor(() => Promise.resolve(`${baseUrl}/discovery/v2.0/keys`));
    const { privateKey: attackerKey } = await generateKeyPair('RS256');
    const hsToken = await new SignJWT({ email: 'a@b.test' })
      .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('1h')
      .sign(developmentSigningKey(SIGNING_KEY));
    const tokens = [
      await providerToken({ email: 'a@b.test' }, { expiresAt: Math.floor(Date.now() / 1000) - 300 }),
      await providerToken({ email: 'a@b.test' }, { audience: 'api://other' }),
      await providerToken({ email: 'a@b.test' }, { key: attackerKey }),
      hsToken,
    ];
    for (const token of tokens) {
      expect((await rejection(verifier.verify(token))).code).toBe(GatewayErrorCode.Unauthenticated);
    }
  });

  it('answers "identity provider unavailable" (503), not 401, when the keys cannot be fetched', async () => {
    const verifier = verifierFor(() => Promise.resolve('http://127.0.0.1:1/keys'));
    const token = await providerToken({ email: 'a@b.test' });
    expect((await rejection(verifier.verify(token))).code).toBe(GatewayErrorCode.IdentityProviderUnavailable);
    const undiscoverable = verifierFor(() => discoverJwksUri(`${baseUrl}/missing`));
    expect((await rejection(undiscoverable.verify(token))).code).toBe(GatewayErrorCode.IdentityProviderUnavailable);
  });
});

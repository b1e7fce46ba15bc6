import { ConfigError, loadConfig } from '@policyvault/platform';
import { GatewayConfig } from './gateway.config.js';

const BASE = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(GatewayConfig, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('GatewayConfig', () => {
  it('has defaults for everything but the database and the auth mode', () => {
    const config = loadConfig(GatewayConfig, { ...BASE, AUTH_MODE: 'development', AUTH_DEV_SIGNING_KEY: 'k'.repeat(32) });
    expect(config).toMatchObject({ PORT: 3000, RUN_SERVICE_TIMEOUT_MS: 5000, BACKUP_STORE_TIMEOUT_MS: 5000, MEMBERSHIP_CACHE_TTL_MS: 2000, HTTP_BODY_LIMIT_BYTES: 262144 });
    expect(config).toMatchObject({ NOTIFIER_TIMEOUT_MS: 5000, SSE_HEARTBEAT_MS: 15_000, SSE_DRAIN_TIMEOUT_MS: 10_000, SSE_MAX_BUFFERED_BYTES: 1024 * 1024 });
  });

  it('has generous limits by default and refuses limits that are no number or out of range', () => {
    const development = { ...BASE, AUTH_MODE: 'development', AUTH_DEV_SIGNING_KEY: 'k'.repeat(32) };
    expect(loadConfig(GatewayConfig, development)).toMatchObject({
      RATE_LIMIT_WINDOW_MS: 60_000,
      RATE_LIMIT_USER_REQUESTS: 6000,
      RATE_LIMIT_TENANT_REQUESTS: 12_000,
      SSE_MAX_STREAMS_PER_USER: 50,
      HTTP_HEADERS_TIMEOUT_MS: 10_000,
      HTTP_BODY_TIMEOUT_MS: 15_000,
      HTTP_KEEP_ALIVE_TIMEOUT_MS: 65_000,
    });
    expect(
      problemsOf({ ...development, RATE_LIMIT_USER_REQUESTS: '0', RATE_LIMIT_WINDOW_MS: 'a minute', SSE_MAX_STREAMS_PER_USER: '-1', HTTP_BODY_TIMEOUT_MS: '10', HTTP_KEEP_ALIVE_TIMEOUT_MS: '500' }),
    ).toEqual([
      expect.stringMatching(/^RATE_LIMIT_WINDOW_MS:/),
      expect.stringMatching(/^RATE_LIMIT_USER_REQUESTS:/),
      expect.stringMatching(/^SSE_MAX_STREAMS_PER_USER:/),
      expect.stringMatching(/^HTTP_KEEP_ALIVE_TIMEOUT_MS:/),
      expect.stringMatching(/^HTTP_BODY_TIMEOUT_MS:/),
    ]);
  });

  it('names each missing or malformed variable', () => {
    expect(problemsOf(BASE)).toEqual([expect.stringMatching(/^AUTH_MODE:/)]);
    expect(problemsOf({ ...BASE, AUTH_MODE: 'development' })).toEqual([expect.stringMatching(/^AUTH_DEV_SIGNING_KEY:/)]);
    expect(problemsOf({ ...BASE, AUTH_MODE: 'development', AUTH_DEV_SIGNING_KEY: 'short' })).toEqual([
      expect.stringMatching(/^AUTH_DEV_SIGNING_KEY:/),
    ]);
    expect(problemsOf({ ...BASE, AUTH_MODE: 'oidc', AUTH_OIDC_ISSUER: 'http://login.example.test' })).toEqual([
      expect.stringMatching(/^AUTH_OIDC_ISSUER:/),
      expect.stringMatching(/^AUTH_OIDC_AUDIENCE:/),
      expect.stringMatching(/^GRAPH_CLIENT_ID:/),
      expect.stringMatching(/^ADMIN_CONSENT_REDIRECT_URI:/),
    ]);
    expect(problemsOf({ ...BASE, AUTH_MODE: 'development', AUTH_DEV_SIGNING_KEY: 'k'.repeat(32), RUN_SERVICE_TIMEOUT_MS: 'soon' })).toEqual([
      expect.stringMatching(/^RUN_SERVICE_TIMEOUT_MS:/),
    ]);
  });

  it('takes the emulator defaults for onboarding in development and validates what is given', () => {
    const development = { ...BASE, AUTH_MODE: 'development', AUTH_DEV_SIGNING_KEY: 'k'.repeat(32) };
    expect(loadConfig(GatewayConfig, development)).toMatchObject({ GRAPH_AUTHORITY_HOST: 'https://login.microsoftonline.com', TENANT_DISCOVERY_TIMEOUT_MS: 5000 });
    expect(problemsOf({ ...development, GRAPH_AUTHORITY_HOST: 'login.microsoftonline.com', ADMIN_CONSENT_REDIRECT_URI: 'not a url' })).toEqual([
      expect.stringMatching(/^GRAPH_AUTHORITY_HOST:/),
      expect.stringMatching(/^ADMIN_CONSENT_REDIRECT_URI:/),
    ]);
  });

  it('accepts an OIDC issuer without a JWKS URI (discovered) or with one', () => {
    const oidc = { ...BASE, AUTH_MODE: 'oidc', AUTH_OIDC_ISSUER: 'https://login.microsoftonline.com/tid/v2.0', AUTH_OIDC_AUDIENCE: 'api://pv' };
    expect(problemsOf(oidc)).toEqual([expect.stringMatching(/^GRAPH_CLIENT_ID:/), expect.stringMatching(/^ADMIN_CONSENT_REDIRECT_URI:/)]);
    Object.assign(oidc, { GRAPH_CLIENT_ID: 'app-id', ADMIN_CONSENT_REDIRECT_URI: 'https://msp.example/consented' });
    expect(problemsOf(oidc)).toEqual([]);
    expect(problemsOf({ ...oidc, AUTH_OIDC_JWKS_URI: 'https://login.microsoftonline.com/tid/discovery/v2.0/keys' })).toEqual([]);
  });
});

import { loadConfig } from '@policyvault/platform';
import { GatewayConfig } from '../gateway.config.js';
import { publicSettings } from '../public-settings/public-settings.controller.js';
import { adminUiContentSecurityPolicy } from './admin-ui-headers.js';

const BASE = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x' };
const development = () => loadConfig(GatewayConfig, { ...BASE, AUTH_MODE: 'development', AUTH_DEV_SIGNING_KEY: 'k'.repeat(32) });
const oidc = (extra: Record<string, string> = {}) =>
  loadConfig(GatewayConfig, {
    ...BASE,
    AUTH_MODE: 'oidc',
    AUTH_OIDC_ISSUER: 'https://login.microsoftonline.com/msp-directory/v2.0',
    AUTH_OIDC_AUDIENCE: 'api://policyvault',
    GRAPH_CLIENT_ID: 'msp-app-client-id',
    ADMIN_CONSENT_REDIRECT_URI: 'https://policyvault.example.test/consented',
    ...extra,
  });

describe('the admin UI settings and headers', () => {
  it('allows only its own origin in development', () => {
    const policy = adminUiContentSecurityPolicy(development());
    expect(policy).toContain("connect-src 'self';");
    expect(policy).toContain("frame-src 'none'");
    expect(policy).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(publicSettings(development())).toEqual({ authMode: 'development', entra: null });
  });

  it('derives the Entra authority and default scope from the issuer and audience', () => {
    const config = oidc({ AUTH_UI_CLIENT_ID: 'spa-client' });
    expect(publicSettings(config)).toEqual({
      authMode: 'oidc',
      entra: { clientId: 'spa-client', authority: 'https://login.microsoftonline.com/msp-directory', scopes: ['api://policyvault/.default'] },
    });
    expect(adminUiContentSecurityPolicy(config)).toContain('frame-src https://login.microsoftonline.com');
  });

  it('treats empty variables (docker compose) as unset: no Entra sign-in offered', () => {
    const config = oidc({ AUTH_UI_CLIENT_ID: '', AUTH_UI_AUTHORITY: '', AUTH_UI_SCOPES: '' });
    expect(publicSettings(config).entra).toBeNull();
  });
});

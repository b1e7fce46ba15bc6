// The gateway serving the built admin UI (dist/apps/admin-ui, from `npm run build`): index.html and deep
// links with the UI's security headers, immutable hashed assets, the API untouched under /api; the public
// settings the UI signs in with; and the development sign-in routes, which exist only in development.
import { readFileSync } from 'node:fs';
import { TenantRole } from '@policyvault/contracts';
import { startService, startStack, type ServiceProcess, type Stack } from '@policyvault/testing';

const HTML = { accept: 'text/html,application/xhtml+xml' };

describe('gateway: the admin UI', () => {
  let stack: Stack;
  let oidcGateway: ServiceProcess;

  beforeAll(async () => {
    stack = await startStack({ services: ['gateway'] });
    oidcGateway = await startService(
      'gateway',
      {
        ...stack.env,
        AUTH_MODE: 'oidc',
        AUTH_OIDC_ISSUER: 'https://login.microsoftonline.com/msp-directory/v2.0',
        AUTH_OIDC_AUDIENCE: 'api://policyvault',
        GRAPH_CLIENT_ID: 'msp-app-client-id',
        ADMIN_CONSENT_REDIRECT_URI: 'https://policyvault.example.test/consented',
        AUTH_UI_CLIENT_ID: 'ui-client-id',
        AUTH_UI_SCOPES: 'api://policyvault/access',
      },
      { instance: 'gateway-oidc' },
    );
  }, 120_000);

  afterAll(async () => {
    await oidcGateway?.stop();
    await stack?.close();
  });

  it('serves index.html at / and at any deep link, never cached, with the UI security headers', async () => {
    for (const path of ['/', '/tenants/0b0e3c1e-6a2f-4c1e-9d4c-3f1a2b3c4d01/runs?status=failed', '/sign-in']) {
      const response = await fetch(`${stack.gatewayUrl}${path}`, { headers: HTML });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-eval');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(await response.text()).toContain('<div id="root">');
    }
  });

  it('serves the hashed assets as immutable for a year; a missing asset is a 404, not the page', async () => {
    const html = readFileSync('dist/apps/admin-ui/index.html', 'utf8');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const response = await fetch(`${stack.gatewayUrl}${script}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const missing = await fetch(`${stack.gatewayUrl}/assets/index-missing.js`, { headers: HTML });
    expect(missing.status).toBe(404);
  });

  it('keeps the API under /api: an unknown API path is a JSON 404 even when a browser asks for a page', async () => {
    const response = await fetch(`${stack.gatewayUrl}/api/no-such-route`, { headers: HTML });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const tenants = await fetch(`${stack.gatewayUrl}/api/tenants`);
    expect(tenants.status).toBe(401);
  });

  it('tells the UI how to sign in (public): development here', async () => {
    const response = await fetch(`${stack.gatewayUrl}/api/public-settings`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ authMode: 'development', entra: null });
  });

  it('lists the demo users and issues a working token in development', async () => {
    const users = (await (await fetch(`${stack.gatewayUrl}/api/dev/users`)).json()) as { items: { email: string; memberships: unknown[] }[] };
    expect(users.items.map((user) => user.email)).toContain('reader@contoso.test');
    const reply = await fetch(`${stack.gatewayUrl}/api/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'Reader@Contoso.test' }),
    });
    expect(reply.status).toBe(200);
    const { accessToken } = (await reply.json()) as { accessToken: string };
    const tenants = await fetch(`${stack.gatewayUrl}/api/tenants`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(((await tenants.json()) as { items: { displayName: string; role: string }[] }).items).toEqual([
      expect.objectContaining({ displayName: 'Contoso', role: TenantRole.Reader }),
    ]);
    const invalid = await fetch(`${stack.gatewayUrl}/api/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'not an email' }),
    });
    expect(invalid.status).toBe(400);
  });

  describe('outside development (AUTH_MODE=oidc)', () => {
    it('has no development sign-in routes at all', async () => {
      const token = await fetch(`${oidcGateway.url}/api/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'owner@contoso.test' }),
      });
      expect(token.status).toBe(404);
      expect((await fetch(`${oidcGateway.url}/api/dev/users`)).status).toBe(404);
    });

    it('gives the UI its Entra ID settings and lets the UI talk to the authority', async () => {
      const settings = await (await fetch(`${oidcGateway.url}/api/public-settings`)).json();
      expect(settings).toEqual({
        authMode: 'oidc',
        entra: { clientId: 'ui-client-id', authority: 'https://login.microsoftonline.com/msp-directory', scopes: ['api://policyvault/access'] },
      });
      const page = await fetch(`${oidcGateway.url}/`, { headers: HTML });
      expect(page.headers.get('content-security-policy')).toContain("connect-src 'self' https://login.microsoftonline.com");
    });
  });
});

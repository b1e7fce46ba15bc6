import { DEMO_TENANTS } from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '../src/index.js';
import { newTenantId } from './emulator-harness.js';

describe('Graph emulator: OpenID discovery of directories and verified domains', () => {
  let emulator: RunningGraphEmulator;
  const [contoso] = DEMO_TENANTS;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, demoSeed: { policiesPerType: 1 } });
  });
  afterAll(() => emulator.close());

  async function discover(tenant: string) {
    const response = await fetch(`${emulator.url}/${tenant}/v2.0/.well-known/openid-configuration`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('names the directory in the issuer, for its id and for a domain it verified (any case)', async () => {
    const byId = await discover(contoso.directoryId);
    const byDomain = await discover(contoso.verifiedDomain.toUpperCase());
    for (const answer of [byId, byDomain]) {
      expect(answer).toMatchObject({
        status: 200,
        body: {
          issuer: `https://login.microsoftonline.com/${contoso.directoryId}/v2.0`,
          token_endpoint: `https://login.microsoftonline.com/${contoso.directoryId}/oauth2/v2.0/token`,
        },
      });
    }
  });

  it('answers unknown directories and domains as Entra does (400 AADSTS90002), and malformed ones with AADSTS900023', async () => {
    for (const tenant of ['unknown.example.com', newTenantId()]) {
      expect(await discover(tenant)).toMatchObject({ status: 400, body: { error: 'invalid_tenant', error_codes: [90002] } });
    }
    expect(await discover('not_a%20domain')).toMatchObject({ status: 400, body: { error_codes: [900023] } });
  });

  it('resolves a domain verified through the admin API, once its tenant exists; a domain belongs to one tenant', async () => {
    const tenant = newTenantId();
    const verify = (id: string, domain: string) =>
      fetch(`${emulator.url}/_emulator/tenants/${id}/domains`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ domain }) });
    expect((await verify(tenant, 'northwind.example')).status).toBe(404);
    emulator.admin.resetTenant(tenant, { seed: false });
    expect(await (await verify(tenant, 'northwind.example')).json()).toEqual({ domains: ['northwind.example'] });
    expect((await verify(contoso.directoryId, 'northwind.example')).status).toBe(409);
    expect((await discover('northwind.example')).body.issuer).toBe(`https://login.microsoftonline.com/${tenant}/v2.0`);
  });
});

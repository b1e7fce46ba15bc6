// Admin consent per (app, tenant): what Entra answers a client-credentials request for a multi-tenant app,
// and the `roles` its tokens carry, through the HTTP token endpoint, the admin API and libs/graph's client.
import { DEMO_GRAPH_APP, DEMO_TENANTS, SafeErrorCode } from '@policyvault/contracts';
import { GraphError } from '@policyvault/graph';
import { ALL_EMULATED_PERMISSIONS, startGraphEmulator, type RunningGraphEmulator } from '../src/index.js';
import { factoryFor, newTenantId } from './emulator-harness.js';

const CONTOSO = DEMO_TENANTS[0].directoryId;

describe('Graph emulator: admin consent per app and tenant', () => {
  let emulator: RunningGraphEmulator;
  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, demoSeed: { policiesPerType: 0 } });
  });
  afterAll(() => emulator.close());

  async function token(tenant: string) {
    const response = await fetch(`${emulator.url}/${tenant}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEMO_GRAPH_APP.clientId, client_secret: DEMO_GRAPH_APP.clientSecret, scope: 'https://graph.microsoft.com/.default' }),
    });
    const body = (await response.json()) as Record<string, unknown>;
    const claims = typeof body.access_token === 'string' ? (JSON.parse(Buffer.from(body.access_token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>) : undefined;
    return { status: response.status, body, claims };
  }

  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${emulator.url}/_emulator${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  };

  it('consents the seeded demo tenants with every emulated permission: the token’s roles', async () => {
    const issued = await token(CONTOSO);
    expect(issued.status).toBe(200);
    expect(issued.claims).toMatchObject({ tid: CONTOSO, appid: DEMO_GRAPH_APP.clientId, roles: [...ALL_EMULATED_PERMISSIONS].sort() });
  });

  it('a tenant without consent answers AADSTS7000229 (missing service principal) like Entra: 401 invalid_client', async () => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: false, consent: false });
    const refused = await token(tenant);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: 'invalid_client', error_codes: [7000229], error_description: expect.stringMatching(/^AADSTS7000229: .*missing service principal in the tenant/) });
    expect(refused.body.access_token).toBeUndefined();
  });

  it('PUT /consent grants exactly the listed permissions, GET reads them, DELETE revokes', async () => {
    const tenant = newTenantId();
    expect((await admin('PUT', `/tenants/${tenant}`, { seed: false, consent: false })).status).toBe(200);
    expect((await admin('GET', `/tenants/${tenant}/consent`)).status).toBe(404);

    const granted = await admin('PUT', `/tenants/${tenant}/consent`, { permissions: ['Group.Read.All', 'DeviceManagementConfiguration.Read.All'] });
    expect(granted).toEqual({ status: 200, body: { permissions: ['DeviceManagementConfiguration.Read.All', 'Group.Read.All'] } });
    expect((await token(tenant)).claims?.roles).toEqual(['DeviceManagementConfiguration.Read.All', 'Group.Read.All']);
    expect(await admin('GET', `/tenants/${tenant}/consent`)).toEqual({ status: 200, body: { permissions: ['DeviceManagementConfiguration.Read.All', 'Group.Read.All'] } });

    // Consented with no permission at all: a token without a `roles` claim, as Entra issues it.
    await admin('PUT', `/tenants/${tenant}/consent`, { permissions: [] });
    const bare = await token(tenant);
    expect(bare.status).toBe(200);
    expect(bare.claims).not.toHaveProperty('roles');

    expect((await admin('DELETE', `/tenants/${tenant}/consent`)).status).toBe(204);
    expect((await token(tenant)).body).toMatchObject({ error_codes: [7000229] });
  });

  it('the admin API refuses a malformed body and an unknown tenant', async () => {
    expect((await admin('PUT', `/tenants/${CONTOSO}/consent`, { permissions: 'Group.Read.All' })).status).toBe(400);
    expect((await admin('PUT', `/tenants/${newTenantId()}/consent`, { permissions: [] })).status).toBe(404);
    expect((await admin('DELETE', `/tenants/${newTenantId()}/consent`)).status).toBe(404);
  });

  it('resetTenant consents by default; an unknown tenant still answers AADSTS90002', async () => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: false });
    expect(emulator.admin.consentOf(tenant)).toEqual([...ALL_EMULATED_PERMISSIONS].sort());
    expect(emulator.admin.resetTenant(tenant, { seed: false, consent: ['Group.Read.All'] })).toBeDefined();
    expect(emulator.admin.consentOf(tenant)).toEqual(['Group.Read.All']);
    emulator.admin.deleteTenant(tenant);
    const unknown = await token(tenant);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
  });

  it('libs/graph reads the granted permissions from a fresh token, and reports a refused one by its AADSTS code', async () => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: false, consent: ['DeviceManagementApps.Read.All'] });
    const factory = factoryFor(emulator);
    try {
      const client = factory.forTenant(tenant);
      expect(await client.grantedApplicationPermissions()).toEqual(['DeviceManagementApps.Read.All']);
      // A new grant shows at once: the check never answers from MSAL's token cache.
      emulator.admin.grantConsent(tenant, ['DeviceManagementApps.ReadWrite.All', 'Group.Read.All']);
      expect(await client.grantedApplicationPermissions()).toEqual(['DeviceManagementApps.ReadWrite.All', 'Group.Read.All']);
      emulator.admin.revokeConsent(tenant);
      const refused = await client.grantedApplicationPermissions().catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(GraphError);
      expect(refused).toMatchObject({ code: SafeErrorCode.GraphAuthFailed, graphErrorCode: 'AADSTS7000229', transient: false });
      const unknown = await factory.forTenant(newTenantId()).grantedApplicationPermissions().catch((error: unknown) => error);
      expect(unknown).toMatchObject({ code: SafeErrorCode.GraphAuthFailed, graphErrorCode: 'AADSTS90002' });
    } finally {
      factory.close();
    }
  });
});

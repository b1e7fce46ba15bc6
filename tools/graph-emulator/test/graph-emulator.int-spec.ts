import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_GRAPH_APP, DEMO_TENANTS } from '@policyvault/contracts';
import { generateDemoPolicies, startGraphEmulator, type RunningGraphEmulator } from '../src/index.js';
import { newTenantId } from './emulator-harness.js';

async function token(emulator: RunningGraphEmulator, tenant: string, secret: string = DEMO_GRAPH_APP.clientSecret) {
  const response = await fetch(`${emulator.url}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEMO_GRAPH_APP.clientId, client_secret: secret, scope: 'https://graph.microsoft.com/.default' }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('Graph emulator', () => {
  let emulator: RunningGraphEmulator;
  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, demoSeed: { policiesPerType: 2 } });
  });
  afterAll(() => emulator.close());

  async function graph(tenant: string, method: string, path: string, body?: unknown, raw?: string) {
    const { body: issued } = await token(emulator, tenant);
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${String(issued.access_token)}`, 'Content-Type': 'application/json' },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  }

  it('seeds the demo tenants deterministically', () => {
    const contoso = DEMO_TENANTS[0].directoryId;
    expect(emulator.admin.listTenants().map((tenant) => tenant.displayName)).toEqual(['Contoso', 'Fabrikam']);
    expect(generateDemoPolicies(contoso, { policiesPerType: 2 }).map((item) => item.object.id)).toEqual(
      generateDemoPolicies(contoso, { policiesPerType: 2 }).map((item) => item.object.id),
    );
    const catalog = emulator.admin.listObjects(contoso, 'settingsCatalogPolicy') ?? [];
    expect((catalog[0].settings as unknown[]).length).toBeGreaterThanOrEqual(8);
  });

  it('rejects a wrong secret with an AADSTS error body and Graph calls without a valid token', async () => {
    const tenant = DEMO_TENANTS[0].directoryId;
    const refused = await token(emulator, tenant, 'not-the-secret');
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    const unauthenticated = await fetch(`${emulator.url}/beta/deviceManagement/deviceConfigurations`, { headers: { Authorization: 'Bearer forged.token.value' } });
    expect(unauthenticated.status).toBe(401);
  });

  it('scopes a token to its tenant', async () => {
    const [contoso, fabrikam] = DEMO_TENANTS.map((tenant) => tenant.directoryId);
    const contosoIds = (await graph(contoso, 'GET', '/beta/deviceManagement/deviceConfigurations')).body?.value as Array<{ id: string }>;
    const fromFabrikam = await graph(fabrikam, 'GET', `/beta/deviceManagement/deviceConfigurations/${contosoIds[0].id}`);
    expect(fromFabrikam.status).toBe(404);
  });

  it('validates writes like Graph and keeps server-managed properties', async () => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: false });
    const path = '/beta/deviceManagement/deviceConfigurations';
    const body = { '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', displayName: 'Baseline' };
    expect((await graph(tenant, 'POST', path, { ...body, id: 'mine' })).status).toBe(400);
    expect((await graph(tenant, 'POST', path, { ...body, version: 4 })).body).toMatchObject({ error: { code: 'ModelValidationFailure', message: expect.stringContaining("'version'") } });
    expect((await graph(tenant, 'POST', path, { displayName: 'no type' })).status).toBe(400);
    expect((await graph(tenant, 'POST', path, undefined, '{"displayName": ')).status).toBe(400);
    const created = await graph(tenant, 'POST', path, body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), createdDateTime: expect.any(String), version: 1 });
    const id = String(created.body?.id);
    expect((await graph(tenant, 'PATCH', `${path}/${id}`, { displayName: 'Changed' })).status).toBe(204);
    expect((await graph(tenant, 'GET', `${path}/${id}`)).body).toMatchObject({ id, displayName: 'Changed', version: 2, createdDateTime: created.body?.createdDateTime });
    expect((await graph(tenant, 'POST', `${path}/${id}/assign`, { assignments: [{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'g' } }] })).status).toBe(200);
    expect(((await graph(tenant, 'GET', `${path}/${id}?$expand=assignments`)).body?.assignments as unknown[]).length).toBe(1);
    expect((await graph(tenant, 'GET', `${path}/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
    expect((await graph(tenant, 'DELETE', `${path}/${id}`)).status).toBe(204);
    expect(emulator.journal.writes({ tenant }).map((entry) => entry.method)).toEqual(['POST', 'POST', 'POST', 'POST', 'POST', 'PATCH', 'POST', 'DELETE']);
    // Writes name their object, and a create its new id: the chaos suite counts creates of one object from this.
    expect(emulator.journal.writes({ tenant }).map((entry) => [entry.status, entry.objectName, entry.createdId])).toEqual([
      [400, 'Baseline', undefined],
      [400, 'Baseline', undefined],
      [400, 'no type', undefined],
      [400, undefined, undefined],
      [201, 'Baseline', id],
      [204, 'Changed', undefined],
      [200, undefined, undefined],
      [204, undefined, undefined],
    ]);
  });

  it('refuses a mobile app listing with $expand=assignments (deprecated by Graph) and expands them on one app', async () => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: { policiesPerType: 0, counts: { deviceConfiguration: 2 } } });
    emulator.admin.putObject(tenant, 'mobileApp', { '@odata.type': '#microsoft.graph.win32LobApp', displayName: 'Agent', assignments: [{ id: 'Agent_a', intent: 'required', target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }] });
    const path = '/beta/deviceAppManagement/mobileApps';
    const refused = await graph(tenant, 'GET', `${path}?$expand=assignments`);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { message: expect.stringContaining('on each object instead') } });
    const apps = (await graph(tenant, 'GET', path)).body?.value as Array<{ id: string; assignments?: unknown }>;
    expect(apps).toHaveLength(1);
    expect(apps[0].assignments).toBeUndefined();
    expect((await graph(tenant, 'GET', `${path}/${apps[0].id}?$expand=assignments`)).body?.assignments).toMatchObject([{ intent: 'required' }]);
    // Other collections still list with their assignments.
    const configurations = (await graph(tenant, 'GET', '/beta/deviceManagement/deviceConfigurations?$expand=assignments')).body?.value as Array<{ assignments?: unknown }>;
    expect(configurations.map((configuration) => Array.isArray(configuration.assignments))).toEqual([true, true]);
  });

  it('throttles per app and tenant over a sliding window with Retry-After', async () => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: false });
    emulator.admin.setThrottle(tenant, { requestsPerWindow: 2, writesPerWindow: 1, windowSeconds: 5 });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let call = 0; call < 3; call += 1) {
      const response = await graph(tenant, 'GET', '/beta/deviceManagement/assignmentFilters');
      statuses.push(response.status);
      retryAfter ??= response.headers.get('retry-after');
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(4);
  });

  it('injects faults per tenant and fails chosen object ids', async () => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: { policiesPerType: 0, counts: { scopeTag: 2 } } });
    const [first, second] = emulator.admin.listObjects(tenant, 'scopeTag') ?? [];
    emulator.admin.setFaults(tenant, { failIds: { [String(first.id)]: 500 } });
    expect((await graph(tenant, 'GET', `/beta/deviceManagement/roleScopeTags/${String(first.id)}`)).status).toBe(500);
    expect((await graph(tenant, 'GET', `/beta/deviceManagement/roleScopeTags/${String(second.id)}`)).status).toBe(200);
    emulator.admin.setFaults(tenant, { errorRate: 1, retryAfterOn503Seconds: 3 });
    const unavailable = await graph(tenant, 'GET', '/beta/deviceManagement/roleScopeTags');
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('3');
    emulator.admin.setFaults(tenant, undefined);
  });

  it("holds a tenant's Graph requests until released, and only that tenant's", async () => {
    const held = newTenantId();
    const other = newTenantId();
    for (const tenant of [held, other]) emulator.admin.resetTenant(tenant, { seed: { policiesPerType: 0, counts: { scopeTag: 1 } } });
    const release = emulator.admin.holdRequests(held);
    let answered = false;
    const waiting = graph(held, 'GET', '/beta/deviceManagement/roleScopeTags').then((answer) => {
      answered = true;
      return answer;
    });
    // The other tenant answers meanwhile (and so does the held tenant's token request, inside `graph`).
    expect((await graph(other, 'GET', '/beta/deviceManagement/roleScopeTags')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered).toBe(false);
    release();
    expect((await waiting).status).toBe(200);
    // Released: the next request answers at once.
    expect((await graph(held, 'GET', '/beta/deviceManagement/roleScopeTags')).status).toBe(200);
  });

  it('loads a tenant from a directory of Graph-exported JSON files', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'graph-export-'));
    try {
      await mkdir(join(directory, 'settingsCatalogPolicy'));
      await writeFile(join(directory, 'restrictions.json'), JSON.stringify({ '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', id: 'dc-1', displayName: 'Exported' }));
      await writeFile(join(directory, 'settingsCatalogPolicy', 'catalog.json'), JSON.stringify({ id: 'sc-1', name: 'Catalog', settings: [{ id: '0', settingInstance: {} }] }));
      await writeFile(join(directory, 'notes.json'), '{ broken');
      const tenant = newTenantId();
      const result = await emulator.admin.loadExport(tenant, directory);
      expect(result.loaded).toBe(2);
      expect(result.skipped).toHaveLength(1);
      expect((await graph(tenant, 'GET', '/beta/deviceManagement/configurationPolicies/sc-1/settings')).body?.value).toHaveLength(1);
      expect((await graph(tenant, 'GET', '/beta/deviceManagement/deviceConfigurations/dc-1')).body).toMatchObject({ displayName: 'Exported' });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('exposes the journal and admin controls over HTTP', async () => {
    const tenant = newTenantId();
    const put = await fetch(`${emulator.url}/_emulator/tenants/${tenant}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ seed: { policiesPerType: 1 } }) });
    expect(put.status).toBe(200);
    await graph(tenant, 'GET', '/beta/deviceManagement/intents');
    const journal = (await (await fetch(`${emulator.url}/_emulator/journal?tenant=${tenant}`)).json()) as { entries: Array<{ kind: string; status: number }> };
    expect(journal.entries.map((entry) => [entry.kind, entry.status])).toEqual([['token', 200], ['graph', 200]]);
    const objects = (await (await fetch(`${emulator.url}/_emulator/tenants/${tenant}/objects/endpointSecurityIntent`)).json()) as Array<{ id: string }>;
    const patched = await fetch(`${emulator.url}/_emulator/tenants/${tenant}/objects/endpointSecurityIntent/${objects[0].id}`, { method: 'PATCH', body: JSON.stringify({ displayName: 'Drifted' }) });
    // deviceManagementIntent has no version in Graph; the change moves lastModifiedDateTime.
    const drifted = (await patched.json()) as Record<string, unknown>;
    expect(drifted).toMatchObject({ displayName: 'Drifted', lastModifiedDateTime: expect.any(String) });
    expect(drifted).not.toHaveProperty('version');
  });
});

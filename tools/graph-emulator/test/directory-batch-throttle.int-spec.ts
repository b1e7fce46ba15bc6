import { DEMO_TENANTS } from '@policyvault/contracts';
import { DUPLICATED_GROUP_NAME, startGraphEmulator, type RunningGraphEmulator } from '../src/index.js';
import { newTenantId } from './emulator-harness.js';
import { errorOf, GraphTestClient } from './graph-test-client.js';

const [CONTOSO, FABRIKAM] = DEMO_TENANTS.map((tenant) => tenant.directoryId);

describe('Graph emulator: groups, $batch, throttling and the journal', () => {
  let emulator: RunningGraphEmulator;
  let graph: GraphTestClient;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, demoSeed: { policiesPerType: 2 } });
    graph = new GraphTestClient(emulator);
  });
  afterAll(() => emulator.close());

  it('finds groups by display name with $filter and $select, per tenant', async () => {
    const query = (name: string) => `/v1.0/groups?$filter=${encodeURIComponent(`displayName eq '${name.replace(/'/g, "''")}'`)}&$select=id,displayName`;
    const [contoso] = await graph.list(CONTOSO, query('Finance users'));
    const [fabrikam] = await graph.list(FABRIKAM, query('Finance users'));
    expect(Object.keys(contoso).sort()).toEqual(['displayName', 'id']);
    expect(contoso.displayName).toBe('Finance users');
    expect(fabrikam.displayName).toBe('Finance users');
    expect(fabrikam.id).not.toBe(contoso.id);
    expect(await graph.list(CONTOSO, query(DUPLICATED_GROUP_NAME))).toHaveLength(2);
    expect(await graph.list(CONTOSO, query('Nobody'))).toEqual([]);
    expect(await graph.ok(CONTOSO, 'GET', `/v1.0/groups/${String(contoso.id)}?$select=id,displayName`)).toEqual({
      '@odata.context': expect.any(String),
      id: contoso.id,
      displayName: 'Finance users',
    });
    expect((await graph.call(CONTOSO, 'GET', '/v1.0/groups?$select=shoeSize')).status).toBe(400);
    expect((await graph.call(CONTOSO, 'GET', "/v1.0/groups?$filter=startswith(displayName,'F')")).status).toBe(400);
    expect((await graph.call(CONTOSO, 'POST', '/v1.0/groups', { displayName: 'x' })).status).toBe(405);

    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: false });
    emulator.admin.addGroup(tenant, { displayName: "O'Brien team" });
    expect(await graph.list(tenant, query("O'Brien team"))).toHaveLength(1);
    const overHttp = await fetch(`${emulator.url}/_emulator/tenants/${tenant}/groups`, { method: 'POST', body: JSON.stringify({ displayName: 'Added over HTTP' }) });
    expect(await overHttp.json()).toMatchObject({ id: expect.any(String), displayName: 'Added over HTTP' });
    expect(emulator.admin.listGroups(tenant)?.map((group) => group.displayName)).toEqual(["O'Brien team", 'Added over HTTP']);
  });

  it('honours $batch dependsOn with 424 for dependents of a failed request and refuses duplicate ids', async () => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: { policiesPerType: 0 } });
    const create = { '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', displayName: 'Batched' };
    const batch = await graph.ok<{ responses: Array<{ id: string; status: number }> }>(tenant, 'POST', '/beta/$batch', {
      requests: [
        { id: '1', method: 'POST', url: '/deviceManagement/deviceConfigurations', body: { ...create, colour: 'red' }, headers: { 'Content-Type': 'application/json' } },
        { id: '2', method: 'GET', url: '/deviceManagement/deviceConfigurations', dependsOn: ['1'] },
        { id: '3', method: 'POST', url: 'deviceManagement/deviceConfigurations', body: create, headers: { 'Content-Type': 'application/json' } },
        { id: '4', method: 'GET', url: '/deviceManagement/deviceConfigurations?$select=id,displayName', dependsOn: ['3'] },
        { id: '5', method: 'GET', url: '/deviceManagement/roleScopeTags', dependsOn: ['2'] },
      ],
    });
    expect(batch.responses.map((response) => [response.id, response.status])).toEqual([['1', 400], ['2', 424], ['3', 201], ['4', 200], ['5', 424]]);
    const items = emulator.journal.list({ tenant, kind: 'batch-item' });
    expect(items.map((entry) => [entry.method, entry.path, entry.status, entry.bodyKeys])).toEqual([
      ['POST', '/beta/deviceManagement/deviceConfigurations', 400, ['@odata.type', 'displayName', 'colour']],
      ['GET', '/beta/deviceManagement/deviceConfigurations', 424, undefined],
      ['POST', '/beta/deviceManagement/deviceConfigurations', 201, ['@odata.type', 'displayName']],
      ['GET', '/beta/deviceManagement/deviceConfigurations', 200, undefined],
      ['GET', '/beta/deviceManagement/roleScopeTags', 424, undefined],
    ]);
    expect(items[3].query).toBe('?$select=id,displayName');

    const duplicate = await graph.call(tenant, 'POST', '/beta/$batch', { requests: [{ id: '1', method: 'GET', url: '/deviceManagement/deviceConfigurations' }, { id: '1', method: 'GET', url: '/deviceManagement/assignmentFilters' }] });
    expect(duplicate.status).toBe(400);
    expect(errorOf(duplicate).message).toMatch(/unique/);
    const forward = await graph.call(tenant, 'POST', '/beta/$batch', { requests: [{ id: '1', method: 'GET', url: '/deviceManagement/deviceConfigurations', dependsOn: ['2'] }, { id: '2', method: 'GET', url: '/deviceManagement/assignmentFilters' }] });
    expect(forward.status).toBe(400);
    const tooMany = await graph.call(tenant, 'POST', '/beta/$batch', { requests: Array.from({ length: 21 }, (_, index) => ({ id: String(index), method: 'GET', url: '/deviceManagement/deviceConfigurations' })) });
    expect(tooMany.status).toBe(400);
    expect(emulator.journal.list({ tenant, kind: 'batch-item' })).toHaveLength(5);
  });

  it('answers 429 without Retry-After when the fault asks for it, and journals the request body keys', async () => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: { policiesPerType: 0 } });
    emulator.admin.setThrottle(tenant, { requestsPerWindow: 1, writesPerWindow: 1, windowSeconds: 30 });
    emulator.admin.setFaults(tenant, { throttleWithoutRetryAfter: 1 });
    expect((await graph.call(tenant, 'GET', '/beta/deviceManagement/assignmentFilters')).status).toBe(200);
    const rejected = await graph.call(tenant, 'PATCH', '/beta/deviceManagement/roleScopeTags/0', { description: 'x', displayName: 'y' });
    expect(rejected.status).toBe(429);
    expect(rejected.headers.get('retry-after')).toBeNull();
    expect(errorOf(rejected).code).toBe('TooManyRequests');
    const [, entry] = emulator.journal.list({ tenant, kind: 'graph' });
    expect(entry).toMatchObject({ method: 'PATCH', path: '/beta/deviceManagement/roleScopeTags/0', query: '', status: 429, bodyKeys: ['description', 'displayName'] });
    expect(entry.retryAfterSeconds).toBeUndefined();

    emulator.admin.setThrottle(tenant, undefined);
    emulator.admin.setFaults(tenant, { throttleRate: 1 });
    const injected = await graph.call(tenant, 'GET', '/beta/deviceManagement/assignmentFilters');
    expect(injected.status).toBe(429);
    expect(Number(injected.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    emulator.admin.setFaults(tenant, undefined);
  });
});

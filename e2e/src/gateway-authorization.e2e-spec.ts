// The gateway and run-service started for real (dist/), on their own database and NATS namespace:
// the 401 / 403 / 400 matrix for every API route, the role matrix for starting each run type, and
// tenant isolation of runs. The route list is checked against the gateway's OpenAPI document, so a
// new route cannot escape the matrix. The backup store routes are swept here up to the point where
// the gateway would call capture-worker (401, 403, 400 all answer before any request/reply); their
// answers from the real worker are in gateway-backup-store.e2e-spec.ts.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { DEMO_TENANTS, RUN_TYPES, RunType, TenantRole } from '@policyvault/contracts';
import { signDevelopmentToken, type DevelopmentTokenOptions } from '@policyvault/platform';
import { createTestDatabase, createTestNats, NATS_URL, startService, type ServiceProcess, type TestDatabase, type TestNats } from '@policyvault/testing';

const SIGNING_KEY = 'gateway-e2e-signing-key-0123456789-abcdefghij';
const [contoso, fabrikam] = DEMO_TENANTS;
const BODY_LIMIT = 64 * 1024;
/** A well-formed version id for the compare route's `from` (no test reaches the backup store). */
const COMPARE_FROM = '3f0c2a4e-0000-4000-8000-00000000c0de';

/** Every API route as OpenAPI names it; the first test checks this against the running gateway. */
const API_ROUTES = [
  'get /api/me',
  'get /api/tenants',
  'post /api/tenants',
  'post /api/tenants/bulk',
  'get /api/tenants/{tenantId}',
  'patch /api/tenants/{tenantId}',
  'delete /api/tenants/{tenantId}',
  'get /api/tenants/{tenantId}/members',
  'post /api/tenants/{tenantId}/members',
  'patch /api/tenants/{tenantId}/members/{userId}',
  'delete /api/tenants/{tenantId}/members/{userId}',
  'post /api/tenants/{tenantId}/runs',
  'get /api/tenants/{tenantId}/runs',
  'get /api/tenants/{tenantId}/runs/{runId}',
  'get /api/tenants/{tenantId}/runs/{runId}/items',
  'post /api/tenants/{tenantId}/runs/{runId}/cancel',
  'get /api/tenants/{tenantId}/runs/events',
  'get /api/runs/events',
  'get /api/tenants/{tenantId}/runs/{runId}/events',
  'get /api/tenants/{tenantId}/runs/{runId}/preview',
  'get /api/tenants/{tenantId}/policies',
  'get /api/tenants/{tenantId}/policies/{policyId}',
  'get /api/tenants/{tenantId}/policies/{policyId}/versions',
  'get /api/tenants/{tenantId}/policies/{policyId}/versions/compare',
  'get /api/tenants/{tenantId}/policy-versions/{versionId}',
  'get /api/tenants/{tenantId}/backup-sets',
  'get /api/tenants/{tenantId}/backup-sets/{setId}',
  'get /api/tenants/{tenantId}/backup-sets/{setId}/items',
  'get /api/tenants/{tenantId}/backup-sets/{setId}/export',
  'get /api/tenants/{tenantId}/backup-sets/{setId}/report',
  'post /api/tenants/{tenantId}/backup-schedules',
  'post /api/tenants/{tenantId}/backup-schedules/preview',
  'get /api/tenants/{tenantId}/backup-schedules',
  'get /api/tenants/{tenantId}/backup-schedules/{scheduleId}',
  'patch /api/tenants/{tenantId}/backup-schedules/{scheduleId}',
  'delete /api/tenants/{tenantId}/backup-schedules/{scheduleId}',
  'get /api/tenants/{tenantId}/backup-schedules/{scheduleId}/runs',
  'get /api/tenants/{tenantId}/audit-events',
  'get /api/tenants/{tenantId}/drift-reports',
  'get /api/tenants/{tenantId}/drift-reports/{reportId}',
  'get /api/tenants/{tenantId}/notification-endpoints',
  'post /api/tenants/{tenantId}/notification-endpoints',
  'delete /api/tenants/{tenantId}/notification-endpoints/{endpointId}',
  'post /api/tenants/{tenantId}/notification-endpoints/{endpointId}/enable',
  'post /api/tenants/{tenantId}/notification-endpoints/{endpointId}/test',
  'get /api/tenants/{tenantId}/notification-subscriptions',
  'post /api/tenants/{tenantId}/notification-subscriptions',
  'delete /api/tenants/{tenantId}/notification-subscriptions/{subscriptionId}',
  'get /api/tenants/{tenantId}/notification-deliveries',
  'get /api/notifications',
  'post /api/notifications/read-all',
  'post /api/notifications/{notificationId}/read',
  'get /api/fleet',
  'post /api/fleet/runs',
  'get /api/fleet/batches/{batchId}',
] as const;
type ApiRoute = (typeof API_ROUTES)[number];

/** The demo tenants and users, through the gateway's own seed script (as `npm run seed` does). */
async function seedGateway(databaseUrl: string): Promise<void> {
  await promisify(execFile)(process.execPath, ['dist/apps/gateway/src/database/seed.js'], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl },
  });
}

interface Call {
  status: number;
  headers: Headers;
  body: { statusCode?: number; error?: string; message?: string | string[] } & Record<string, unknown>;
}

/** A valid target and scope for each run type (fresh ids, so no two starts share a de-duplication key). */
function validStart(type: RunType): { type: RunType; target: object; scope: object; confirmation?: object } {
  switch (type) {
    case RunType.InventorySync:
      return { type, target: {}, scope: { policyTypes: [`deviceConfiguration${randomUUID().slice(0, 8).replace(/-/g, '')}`] } };
    case RunType.PolicyCaptureSnapshot:
      return { type, target: { policyId: randomUUID() }, scope: {} };
    case RunType.BackupSetCreate:
      return { type, target: { name: `Nightly ${randomUUID()}` }, scope: { policyTypes: ['deviceConfiguration'] } };
    case RunType.BackupSetAddPolicies:
      return { type, target: { backupSetId: randomUUID() }, scope: { policyIds: [randomUUID()] } };
    case RunType.BackupSetImport:
      return { type, target: { name: `Imported ${randomUUID()}`, uploadId: randomUUID() }, scope: {} };
    case RunType.RestorePreview:
      return { type, target: { backupSetId: randomUUID() }, scope: { backupItemIds: [randomUUID()] } };
    case RunType.RestoreExecute:
      return { type, target: { backupSetId: randomUUID() }, scope: { backupItemIds: [randomUUID()] }, confirmation: { tenantName: contoso.displayName } };
    case RunType.BackupScheduleRun:
      return { type, target: { scheduleId: randomUUID(), slot: '2026-01-01T02:00:00Z' }, scope: { scheduleName: 'Nightly', keepLast: 7 } };
    case RunType.TenantVerifyAccess:
      return { type, target: {}, scope: {} };
    case RunType.DriftCheck:
      return { type, target: { backupSetId: randomUUID() }, scope: {} };
  }
}

/** A complete, valid backup schedule. */
const SCHEDULE = { name: 'Nightly', frequency: 'daily', timeOfDay: '02:00', timeZone: 'Europe/Berlin', keepLast: 7 };

describe('gateway authorization (gateway + run-service processes, real Postgres and NATS)', () => {
  let database: TestDatabase;
  let nats: TestNats;
  let gateway: ServiceProcess;
  let runService: ServiceProcess;
  const tokens: Record<string, string> = {};
  let contosoRunId: string;

  const token = (email: string, options: Partial<DevelopmentTokenOptions> = {}) =>
    signDevelopmentToken({ email, signingKey: SIGNING_KEY, ...options });

  async function call(method: string, path: string, init: { token?: string; authorization?: string; body?: string | object; contentType?: string } = {}): Promise<Call> {
    const headers: Record<string, string> = {};
    if (init.authorization !== undefined) headers.authorization = init.authorization;
    else if (init.token) headers.authorization = `Bearer ${init.token}`;
    let body: string | undefined;
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      headers['content-type'] = init.contentType ?? 'application/json';
    }
    const response = await fetch(`${gateway.url}${path}`, { method: method.toUpperCase(), headers, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
  }

  /** How to call each route, for a tenant and an id (of the route's run, policy, version or set) of our choice. */
  const ROUTES: Record<ApiRoute, { method: string; path: (tenantId: string, id: string) => string; body?: () => object; tenantScoped: boolean }> = {
    'get /api/me': { method: 'get', path: () => '/api/me', tenantScoped: false },
    'get /api/tenants': { method: 'get', path: () => '/api/tenants', tenantScoped: false },
    'post /api/tenants': { method: 'post', path: () => '/api/tenants', body: () => ({ directoryId: randomUUID(), displayName: 'New' }), tenantScoped: false },
    'post /api/tenants/bulk': { method: 'post', path: () => '/api/tenants/bulk', tenantScoped: false },
    'get /api/tenants/{tenantId}': { method: 'get', path: (tenantId) => `/api/tenants/${tenantId}`, tenantScoped: true },
    'patch /api/tenants/{tenantId}': { method: 'patch', path: (tenantId) => `/api/tenants/${tenantId}`, body: () => ({ tags: ['gold'] }), tenantScoped: true },
    'delete /api/tenants/{tenantId}': { method: 'delete', path: (tenantId) => `/api/tenants/${tenantId}`, tenantScoped: true },
    'get /api/tenants/{tenantId}/members': { method: 'get', path: (tenantId) => `/api/tenants/${tenantId}/members`, tenantScoped: true },
    'post /api/tenants/{tenantId}/members': {
      method: 'post',
      path: (tenantId) => `/api/tenants/${tenantId}/members`,
      body: () => ({ email: `someone-${randomUUID().slice(0, 8)}@msp.example`, role: TenantRole.Reader }),
      tenantScoped: true,
    },
    'patch /api/tenants/{tenantId}/members/{userId}': {
      method: 'patch',
      path: (tenantId, userId) => `/api/tenants/${tenantId}/members/${userId}`,
      body: () => ({ role: TenantRole.Reader }),
      tenantScoped: true,
    },
    'delete /api/tenants/{tenantId}/members/{userId}': {
      method: 'delete',
      path: (tenantId, userId) => `/api/tenants/${tenantId}/members/${userId}`,
      tenantScoped: true,
    },
    'post /api/tenants/{tenantId}/runs': {
      method: 'post',
      path: (tenantId) => `/api/tenants/${tenantId}/runs`,
      body: () => validStart(RunType.InventorySync),
      tenantScoped: true,
    },
    'get /api/tenants/{tenantId}/runs': { method: 'get', path: (tenantId) => `/api/tenants/${tenantId}/runs`, tenantScoped: true },
    'get /api/tenants/{tenantId}/runs/{runId}': {
      method: 'get',
      path: (tenantId, runId) => `/api/tenants/${tenantId}/runs/${runId}`,
      tenantScoped: true,
    },
    'get /api/tenants/{tenantId}/runs/{runId}/items': {
      method: 'get',
      path: (tenantId, runId) => `/api/tenants/${tenantId}/runs/${runId}/items`,
      tenantScoped: true,
    },
    'post /api/tenants/{tenantId}/runs/{runId}/cancel': {
      method: 'post',
      path: (tenantId, runId) => `/api/tenants/${tenantId}/runs/${runId}/cancel`,
      tenantScoped: true,
    },
    'get /api/tenants/{tenantId}/runs/events': { method: 'get', path: (tenantId) => `/api/tenants/${tenantId}/runs/events`, tenantScoped: true },
    'get /api/runs/events': { method: 'get', path: () => '/api/runs/events', tenantScoped: false },
    'get /api/tenants/{tenantId}/runs/{runId}/events': {
      method: 'get',
      path: (tenantId, runId) => `/api/tenants/${tenantId}/runs/${runId}/events`,
      tenantScoped: true,
    },
    'get /api/tenants/{tenantId}/runs/{runId}/preview': {
      method: 'get',
      path: (tenantId, runId) => `/api/tenants/${tenantId}/runs/${runId}/preview`,
      tenantScoped: true,
    },
    'get /api/tenants/{tenantId}/policies': { method: 'get', path: (tenantId) => `/api/tenants/${tenantId}/policies`, tenantScoped: true },
    'get /api/tenants/{tenantId}/policies/{policyId}': {
      method: 'get',
      path: (tenantId, policyId) => `/api/tenants/${tenantId}/policies/${policyId}`,
      tenantScoped: true,
    },
    'get /api/tenants/{tenantId}/policies/{policyId}/versions': {
      method: 'get',
      path: (tenantId, policyId) => `/api/tenants/${tenantId}/policies/${policyId}/versions`,
      tenantScoped: true,
    },
    'get /api/tenants/{tenantId}/policies/{policyId}/versions/compare': {
      method: 'get',
      path: (tenantId, policyId) => `/api/tenants/${tenantId}/policies/${policyId}/versions/compare?from=${COMPARE_FROM}&to=live`,
      tenantScoped: true,
    },
    'get /api/tenants/{tenantId}/policy-versions/{versionId}': {
      method: 'get',
      path: (tenantId, versionId) => `/api/tenants/${tenantId}/policy-versions/${versionId}`,
      tenantScoped: true,
    },
    'get /api/tenants/{tenantId}/backup-sets': { method: 'get', path: (tenantId) => `/api/tenants/${tenantId}/backup-sets`, tenantScoped: true },
    'get /api/tenants/{tenantId}/backup-sets/{setId}': {
      method: 'get',
      path: (tenantId, setId) => `/api/tenants/${tenantId}/backup-sets/${setId}`,
      tenantScoped: true,
    },
    'get /api/tenants/{tenantId}/backup-sets/{setId}/items': {
      method: 'get',
      path: (tenantId, setId) => `/api/tenants/${tenantId}/backup-sets/${setId}/items`,
      tenantScoped: true,
    },
    'get /api/tenants/{tenantId}/backup-sets/{setId}/export': {
      method: 'get',
      path: (tenantId, setId) => `/api/tenants/${tenantId}/backup-sets/${setId}/export?secrets=encrypted`,
      tenantScoped: true,
    },
    'get /api/tenants/{tenantId}/backup-sets/{setId}/report': {
      method: 'get',
      path: (tenantId, setId) => `/api/tenants/${tenantId}/backup-sets/${setId}/report?format=markdown`,
      tenantScoped: true,
    },
    'post /api/tenants/{tenantId}/backup-schedules': {
      method: 'post',
      path: (tenantId) => `/api/tenants/${tenantId}/backup-schedules`,
      body: () => SCHEDULE,
      tenantScoped: true,
    },
    'post /api/tenants/{tenantId}/backup-schedules/preview': {
      method: 'post',
      path: (tenantId) => `/api/tenants/${tenantId}/backup-schedules/preview`,
      body: () => ({ frequency: 'daily', timeOfDay: '02:00', timeZone: 'Europe/Berlin' }),
      tenantScoped: true,
    },
    'get /api/tenants/{tenantId}/backup-schedules': { method: 'get', path: (tenantId) => `/api/tenants/${tenantId}/backup-schedules`, tenantScoped: true },
    'get /api/tenants/{tenantId}/backup-schedules/{scheduleId}': {
      method: 'get',
      path: (tenantId, scheduleId) => `/api/tenants/${tenantId}/backup-schedules/${scheduleId}`,
      tenantScoped: true,
    },
    'patch /api/tenants/{tenantId}/backup-schedules/{scheduleId}': {
      method: 'patch',
      path: (tenantId, scheduleId) => `/api/tenants/${tenantId}/backup-schedules/${scheduleId}`,
      body: () => ({ enabled: false }),
      tenantScoped: true,
    },
    'delete /api/tenants/{tenantId}/backup-schedules/{scheduleId}': {
      method: 'delete',
      path: (tenantId, scheduleId) => `/api/tenants/${tenantId}/backup-schedules/${scheduleId}`,
      tenantScoped: true,
    },
    'get /api/tenants/{tenantId}/backup-schedules/{scheduleId}/runs': {
      method: 'get',
      path: (tenantId, scheduleId) => `/api/tenants/${tenantId}/backup-schedules/${scheduleId}/runs`,
      tenantScoped: true,
    },
    'get /api/tenants/{tenantId}/audit-events': { method: 'get', path: (tenantId) => `/api/tenants/${tenantId}/audit-events`, tenantScoped: true },
    'get /api/tenants/{tenantId}/drift-reports': { method: 'get', path: (tenantId) => `/api/tenants/${tenantId}/drift-reports`, tenantScoped: true },
    'get /api/tenants/{tenantId}/drift-reports/{reportId}': {
      method: 'get',
      path: (tenantId, reportId) => `/api/tenants/${tenantId}/drift-reports/${reportId}`,
      tenantScoped: true,
    },
    'get /api/tenants/{tenantId}/notification-endpoints': { method: 'get', path: (tenantId) => `/api/tenants/${tenantId}/notification-endpoints`, tenantScoped: true },
    'post /api/tenants/{tenantId}/notification-endpoints': {
      method: 'post',
      path: (tenantId) => `/api/tenants/${tenantId}/notification-endpoints`,
      body: () => ({ scope: 'tenant', kind: 'teams', name: 'Teams', url: 'https://93.184.215.14/workflows/1' }),
      tenantScoped: true,
    },
    'delete /api/tenants/{tenantId}/notification-endpoints/{endpointId}': {
      method: 'delete',
      path: (tenantId, endpointId) => `/api/tenants/${tenantId}/notification-endpoints/${endpointId}`,
      tenantScoped: true,
    },
    'post /api/tenants/{tenantId}/notification-endpoints/{endpointId}/enable': {
      method: 'post',
      path: (tenantId, endpointId) => `/api/tenants/${tenantId}/notification-endpoints/${endpointId}/enable`,
      tenantScoped: true,
    },
    'post /api/tenants/{tenantId}/notification-endpoints/{endpointId}/test': {
      method: 'post',
      path: (tenantId, endpointId) => `/api/tenants/${tenantId}/notification-endpoints/${endpointId}/test`,
      tenantScoped: true,
    },
    'get /api/tenants/{tenantId}/notification-subscriptions': { method: 'get', path: (tenantId) => `/api/tenants/${tenantId}/notification-subscriptions`, tenantScoped: true },
    'post /api/tenants/{tenantId}/notification-subscriptions': {
      method: 'post',
      path: (tenantId) => `/api/tenants/${tenantId}/notification-subscriptions`,
      body: () => ({ scope: 'tenant', endpointId: randomUUID(), events: ['run.failed'], digest: false }),
      tenantScoped: true,
    },
    'delete /api/tenants/{tenantId}/notification-subscriptions/{subscriptionId}': {
      method: 'delete',
      path: (tenantId, subscriptionId) => `/api/tenants/${tenantId}/notification-subscriptions/${subscriptionId}`,
      tenantScoped: true,
    },
    'get /api/tenants/{tenantId}/notification-deliveries': { method: 'get', path: (tenantId) => `/api/tenants/${tenantId}/notification-deliveries`, tenantScoped: true },
    'get /api/notifications': { method: 'get', path: () => '/api/notifications', tenantScoped: false },
    'post /api/notifications/read-all': { method: 'post', path: () => '/api/notifications/read-all', body: () => ({}), tenantScoped: false },
    'post /api/notifications/{notificationId}/read': {
      method: 'post',
      path: (_, notificationId) => `/api/notifications/${notificationId}/read`,
      tenantScoped: false,
    },
    'get /api/fleet': { method: 'get', path: () => '/api/fleet', tenantScoped: false },
    'post /api/fleet/runs': {
      method: 'post',
      path: () => '/api/fleet/runs',
      body: () => ({ ...validStart(RunType.InventorySync), tenantIds: [contoso.id] }),
      tenantScoped: false,
    },
    'get /api/fleet/batches/{batchId}': { method: 'get', path: (_, batchId) => `/api/fleet/batches/${batchId}`, tenantScoped: false },
  };
  /** A backup store, schedule or notification id for the routes that take one; none of these tests reaches its service. */
  const storeId = randomUUID();
  const TENANT_ROUTES = API_ROUTES.filter((route) => ROUTES[route].tenantScoped);

  const callRoute = (route: ApiRoute, options: { tenantId?: string; id?: string; token?: string; authorization?: string }) => {
    const spec = ROUTES[route];
    const id = options.id ?? (route.includes('{runId}') ? contosoRunId : storeId);
    return call(spec.method, spec.path(options.tenantId ?? contoso.id, id), {
      token: options.token,
      authorization: options.authorization,
      body: spec.body?.(),
    });
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedGateway(database.url);
    nats = await createTestNats();
    const env = { DATABASE_URL: database.url, NATS_URL, NATS_NAMESPACE: nats.namespace };
    runService = await startService('run-service', env);
    gateway = await startService('gateway', {
      ...env,
      AUTH_MODE: 'development',
      AUTH_DEV_SIGNING_KEY: SIGNING_KEY,
      HTTP_BODY_LIMIT_BYTES: String(BODY_LIMIT),
    });
    for (const email of ['owner@contoso.test', 'operator@contoso.test', 'reader@contoso.test', 'owner@fabrikam.test', 'stranger@nowhere.test']) {
      tokens[email] = await token(email);
    }
    const started = await call('post', `/api/tenants/${contoso.id}/runs`, {
      token: tokens['owner@contoso.test'],
      body: validStart(RunType.PolicyCaptureSnapshot),
    });
    expect(started.status).toBe(202);
    contosoRunId = (started.body.run as { id: string }).id;
  }, 90_000);

  afterAll(async () => {
    await gateway?.stop();
    await runService?.stop();
    await nats?.close();
    await database?.drop();
  });

  it('covers exactly the routes the OpenAPI document lists', async () => {
    const document = (await (await fetch(`${gateway.url}/docs-json`)).json()) as { paths: Record<string, object> };
    const documented = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`));
    expect(documented.sort()).toEqual([...API_ROUTES].sort());
  });

  describe('401 without a valid bearer token', () => {
    const cases: [string, () => Promise<{ token?: string; authorization?: string }>][] = [
      ['no Authorization header', async () => ({})],
      ['a Basic header', async () => ({ authorization: 'Basic b3duZXI6cGFzc3dvcmQ=' })],
      ['an empty bearer', async () => ({ authorization: 'Bearer ' })],
      ['a malformed token', async () => ({ token: 'not.a.jwt' })],
      ['an expired token', async () => ({ token: await token('owner@contoso.test', { expiresIn: -300 }) })],
      ['a token signed with another key', async () => ({ token: await signDevelopmentToken({ email: 'owner@contoso.test', signingKey: 'x'.repeat(48) }) })],
      ['a token for another audience', async () => ({ token: await token('owner@contoso.test', { audience: 'another-api' }) })],
      ['a token from another issuer', async () => ({ token: await token('owner@contoso.test', { issuer: 'https://evil.test' }) })],
    ];
    const matrix = API_ROUTES.flatMap((route) => cases.map(([name, credentials]) => [route, name, credentials] as const));

    it.each(matrix)('%s with %s', async (route, _, credentials) => {
      const response = await callRoute(route, await credentials());
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
    });
  });

  describe('403 for a tenant the caller does not belong to', () => {
    const cases: [string, string, () => string][] = [
      ['another tenant', 'owner@fabrikam.test', () => contoso.id],
      ['a tenant that does not exist', 'owner@contoso.test', () => randomUUID()],
      ['any tenant, as a user unknown to PolicyVault', 'stranger@nowhere.test', () => contoso.id],
    ];
    const matrix = TENANT_ROUTES.flatMap((route) => cases.map(([name, email, tenantId]) => [route, name, email, tenantId] as const));

    it.each(matrix)('%s in %s', async (route, _, email, tenantId) => {
      const response = await callRoute(route, { tenantId: tenantId(), token: tokens[email] });
      expect(response.status).toBe(403);
      expect(response.body).toEqual({ statusCode: 403, error: 'Forbidden', message: 'you are not a member of this tenant' });
    });

    it("answers 403 for another tenant's run and its items, through the caller's own tenant too", async () => {
      const fabrikamOwner = tokens['owner@fabrikam.test'];
      expect((await call('get', `/api/tenants/${contoso.id}/runs/${contosoRunId}`, { token: fabrikamOwner })).status).toBe(403);
      expect((await call('get', `/api/tenants/${contoso.id}/runs/${contosoRunId}/items`, { token: fabrikamOwner })).status).toBe(403);
      expect((await call('get', `/api/tenants/${fabrikam.id}/runs/${contosoRunId}`, { token: fabrikamOwner })).status).toBe(403);
      expect((await call('get', `/api/tenants/${fabrikam.id}/runs/${contosoRunId}/items`, { token: fabrikamOwner })).status).toBe(403);
      const listed = await call('get', `/api/tenants/${fabrikam.id}/runs`, { token: fabrikamOwner });
      expect(listed.status).toBe(200);
      expect((listed.body.items as { id: string }[]).map((run) => run.id)).not.toContain(contosoRunId);
    });

    it("answers 403 for a notification tenant filter the caller does not belong to (query of GET, body of read-all)", async () => {
      const owner = tokens['owner@contoso.test'];
      for (const tenantId of [fabrikam.id, randomUUID()]) {
        expect((await call('get', `/api/notifications?tenantId=${tenantId}`, { token: owner })).body).toEqual({
          statusCode: 403,
          error: 'Forbidden',
          message: 'you are not a member of this tenant',
        });
        expect((await call('post', '/api/notifications/read-all', { token: owner, body: { tenantId } })).status).toBe(403);
      }
    });

    it.each([
      ['operator@contoso.test', 'post /api/tenants/{tenantId}/backup-schedules'],
      ['operator@contoso.test', 'patch /api/tenants/{tenantId}/backup-schedules/{scheduleId}'],
      ['operator@contoso.test', 'delete /api/tenants/{tenantId}/backup-schedules/{scheduleId}'],
      ['reader@contoso.test', 'post /api/tenants/{tenantId}/backup-schedules'],
      ['reader@contoso.test', 'patch /api/tenants/{tenantId}/backup-schedules/{scheduleId}'],
      ['reader@contoso.test', 'delete /api/tenants/{tenantId}/backup-schedules/{scheduleId}'],
      ['reader@contoso.test', 'post /api/tenants/{tenantId}/runs/{runId}/cancel'],
      ['operator@contoso.test', 'get /api/tenants/{tenantId}/audit-events'],
      ['reader@contoso.test', 'get /api/tenants/{tenantId}/audit-events'],
      ['operator@contoso.test', 'get /api/tenants/{tenantId}/members'],
      ['reader@contoso.test', 'post /api/tenants/{tenantId}/members'],
      ['operator@contoso.test', 'patch /api/tenants/{tenantId}'],
      ['operator@contoso.test', 'post /api/tenants/{tenantId}/notification-endpoints'],
      ['reader@contoso.test', 'post /api/tenants/{tenantId}/notification-subscriptions'],
      // to=live starts a policy.capture_snapshot run (operator and up).
      ['reader@contoso.test', 'get /api/tenants/{tenantId}/policies/{policyId}/versions/compare'],
    ] as const)('answers 403 to %s for %s (role below owner, or a reader canceling)', async (email, route) => {
      const response = await callRoute(route, { token: tokens[email] });
      expect(response).toMatchObject({ status: 403, body: { statusCode: 403, error: 'Forbidden', message: expect.stringMatching(/needs the (owner|operator) role in this tenant/) } });
    });

    it('lists only the caller’s own tenants, with roles (none for an unknown user)', async () => {
      const own = await call('get', '/api/tenants', { token: tokens['reader@contoso.test'] });
      expect(own.body).toEqual({
        items: [{ id: contoso.id, displayName: 'Contoso', directoryId: contoso.directoryId, role: TenantRole.Reader, tags: [], disabledAt: null, createdAt: expect.any(String), health: null }],
        nextCursor: null,
      });
      const stranger = await call('get', '/api/tenants', { token: tokens['stranger@nowhere.test'] });
      expect(stranger).toMatchObject({ status: 200, body: { items: [], nextCursor: null } });
    });
  });

  describe('starting runs: the role each run type needs', () => {
    const minimum: Record<RunType, TenantRole> = {
      [RunType.InventorySync]: TenantRole.Operator,
      [RunType.PolicyCaptureSnapshot]: TenantRole.Operator,
      [RunType.BackupSetCreate]: TenantRole.Operator,
      [RunType.BackupSetAddPolicies]: TenantRole.Operator,
      [RunType.RestorePreview]: TenantRole.Operator,
      [RunType.RestoreExecute]: TenantRole.Owner,
      [RunType.BackupScheduleRun]: TenantRole.Owner,
      [RunType.TenantVerifyAccess]: TenantRole.Owner,
      [RunType.DriftCheck]: TenantRole.Operator,
      [RunType.BackupSetImport]: TenantRole.Operator,
    };
    const rank = { reader: 1, operator: 2, owner: 3 };
    const matrix = RUN_TYPES.filter((type) => type !== RunType.BackupScheduleRun).flatMap((type) =>
      Object.values(TenantRole).map((role) => [type, role, rank[role] >= rank[minimum[type]] ? 202 : 403] as const),
    );

    it.each(Object.values(TenantRole))('refuses backup_schedule.run starts as %s with 400: schedules start them', async (role) => {
      const response = await call('post', `/api/tenants/${contoso.id}/runs`, { token: tokens[`${role}@contoso.test`], body: validStart(RunType.BackupScheduleRun) });
      expect(response).toMatchObject({ status: 400, body: { message: 'type: backup_schedule.run runs are started by their schedule' } });
    });

    it.each(matrix)('%s as %s → %i', async (type, role, expected) => {
      const response = await call('post', `/api/tenants/${contoso.id}/runs`, { token: tokens[`${role}@contoso.test`], body: validStart(type) });
      expect(response.status).toBe(expected);
      if (expected === 202) {
        const run = response.body.run as { id: string; type: string; status: string; initiator: { email: string } };
        expect(response.body.reused).toBe(false);
        expect(run).toMatchObject({ type, status: 'queued', initiator: { email: `${role}@contoso.test` } });
        expect(response.headers.get('location')).toBe(`/api/tenants/${contoso.id}/runs/${run.id}`);
        const detail = await call('get', response.headers.get('location') as string, { token: tokens['reader@contoso.test'] });
        expect(detail).toMatchObject({ status: 200, body: { id: run.id, tenantId: contoso.id } });
      } else {
        expect(response.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      }
    });

    describe('a live restore needs a confirmation', () => {
      // Without a confirmation argument, the body has none (JSON leaves undefined out).
      const execute = (confirmation?: object) => ({ ...validStart(RunType.RestoreExecute), confirmation });
      const start = (email: string, body: object) => call('post', `/api/tenants/${contoso.id}/runs`, { token: tokens[email], body });

      it('answers 400 without one, naming confirmation', async () => {
        const response = await start('owner@contoso.test', execute());
        expect(response).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^confirmation: a live restore needs/) } });
      });

      it('answers 400 for a wrong tenant name or the name in another case, naming confirmation.tenantName', async () => {
        for (const tenantName of [fabrikam.displayName, contoso.displayName.toUpperCase()]) {
          const response = await start('owner@contoso.test', execute({ tenantName }));
          expect(response).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request', message: "confirmation.tenantName: does not match the tenant's display name" } });
        }
      });

      it('answers 400 for both kinds at once', async () => {
        const response = await start('owner@contoso.test', execute({ tenantName: contoso.displayName, previewRunId: randomUUID() }));
        expect(response).toMatchObject({ status: 400, body: { message: 'confirmation: give either previewRunId or tenantName, not both' } });
      });

      it('accepts the tenant name typed back (trimmed), as run-service checks it', async () => {
        const response = await start('owner@contoso.test', execute({ tenantName: ` ${contoso.displayName} ` }));
        expect(response).toMatchObject({ status: 202, body: { run: { type: RunType.RestoreExecute, status: 'queued' } } });
      });

      it('answers 409 for an unknown preview run (run-service checks it), naming confirmation.previewRunId', async () => {
        const response = await start('owner@contoso.test', execute({ previewRunId: randomUUID() }));
        expect(response).toMatchObject({ status: 409, body: { statusCode: 409, error: 'Conflict', message: expect.stringMatching(/^confirmation\.previewRunId: /) } });
      });

      it('answers 403 to an operator, even with a confirmation', async () => {
        const response = await start('operator@contoso.test', execute({ tenantName: contoso.displayName }));
        expect(response).toMatchObject({ status: 403, body: { message: expect.stringMatching(/needs the owner role/) } });
      });

      it('answers 400 for a confirmation of any other run type', async () => {
        const response = await start('owner@contoso.test', { ...validStart(RunType.RestorePreview), confirmation: { tenantName: contoso.displayName } });
        expect(response).toMatchObject({ status: 400, body: { message: 'confirmation: only a restore.execute run takes a confirmation' } });
      });
    });

    describe('a cross-tenant restore needs operator or owner in the source tenant too', () => {
      // Into Fabrikam, from a backup set of Contoso.
      const crossTenant = (type: RunType.RestorePreview | RunType.RestoreExecute) => ({
        type,
        target: { backupSetId: randomUUID(), sourceTenantId: contoso.id },
        scope: { backupItemIds: [randomUUID()] },
        ...(type === RunType.RestoreExecute ? { confirmation: { tenantName: fabrikam.displayName } } : {}),
      });
      const startInFabrikam = (email: string, body: object) => call('post', `/api/tenants/${fabrikam.id}/runs`, { token: tokens[email], body });

      /** An owner of Fabrikam who also has `contosoRole` in Contoso. */
      async function fabrikamOwnerWithContoso(contosoRole: TenantRole): Promise<string> {
        const email = `fabrikam-owner-contoso-${contosoRole}@fabrikam.test`;
        const { rows } = await database.pool.query<{ id: string }>(
          `INSERT INTO gateway.users (email) VALUES ($1) ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id`,
          [email],
        );
        await database.pool.query(
          `INSERT INTO gateway.memberships (user_id, tenant_id, role) VALUES ($1, $2, $5), ($1, $3, $4) ON CONFLICT DO NOTHING`,
          [rows[0].id, fabrikam.id, contoso.id, contosoRole, TenantRole.Owner],
        );
        tokens[email] = await token(email);
        return email;
      }

      it.each([RunType.RestorePreview, RunType.RestoreExecute] as const)('%s: 403 naming target.sourceTenantId for an owner of Fabrikam restoring a Contoso set without a Contoso membership', async (type) => {
        const response = await startInFabrikam('owner@fabrikam.test', crossTenant(type));
        expect(response).toMatchObject({
          status: 403,
          body: { statusCode: 403, error: 'Forbidden', message: expect.stringMatching(/^target\.sourceTenantId: you are not a member/) },
        });
      });

      it('403 for a reader of the source tenant', async () => {
        const response = await startInFabrikam(await fabrikamOwnerWithContoso(TenantRole.Reader), crossTenant(RunType.RestoreExecute));
        expect(response).toMatchObject({ status: 403, body: { message: expect.stringMatching(/^target\.sourceTenantId: .*needs the operator role in that tenant; you are reader$/) } });
      });

      it.each([
        [RunType.RestorePreview, TenantRole.Operator],
        [RunType.RestoreExecute, TenantRole.Operator],
        [RunType.RestoreExecute, TenantRole.Owner],
      ] as const)('%s accepted (202) for a user with both memberships (%s in the source tenant)', async (type, contosoRole) => {
        const body = crossTenant(type);
        const response = await startInFabrikam(await fabrikamOwnerWithContoso(contosoRole), body);
        expect(response.status).toBe(202);
        expect(response.body.run).toMatchObject({ type, tenantId: fabrikam.id, target: body.target });
      });
    });

    it('returns the active run with 200 and reused: true for an identical start', async () => {
      const body = validStart(RunType.BackupSetCreate);
      const first = await call('post', `/api/tenants/${contoso.id}/runs`, { token: tokens['operator@contoso.test'], body });
      const second = await call('post', `/api/tenants/${contoso.id}/runs`, { token: tokens['owner@contoso.test'], body });
      expect(first.status).toBe(202);
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({ reused: true, run: { id: (first.body.run as { id: string }).id } });
      expect(second.headers.get('location')).toBeNull();
    });
  });

  describe('400 for malformed input, naming the field', () => {
    const owner = () => tokens['owner@contoso.test'];
    const runs = `/api/tenants/${contoso.id}/runs`;

    it.each(TENANT_ROUTES)('%s with a tenant id that is not a UUID', async (route) => {
      const response = await callRoute(route, { tenantId: 'not-a-uuid', token: owner() });
      expect(response).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'tenantId: must be a UUID' } });
    });

    it.each([
      ['get /api/tenants/{tenantId}/runs/{runId}', 'runId'],
      ['get /api/tenants/{tenantId}/runs/{runId}/items', 'runId'],
      ['get /api/tenants/{tenantId}/policies/{policyId}/versions', 'policyId'],
      ['get /api/tenants/{tenantId}/policy-versions/{versionId}', 'versionId'],
      ['get /api/tenants/{tenantId}/backup-sets/{setId}', 'setId'],
      ['get /api/tenants/{tenantId}/backup-sets/{setId}/items', 'setId'],
      ['get /api/tenants/{tenantId}/backup-sets/{setId}/export', 'setId'],
      ['get /api/tenants/{tenantId}/backup-sets/{setId}/report', 'setId'],
      ['post /api/tenants/{tenantId}/runs/{runId}/cancel', 'runId'],
      ['get /api/tenants/{tenantId}/runs/{runId}/events', 'runId'],
      ['get /api/tenants/{tenantId}/runs/{runId}/preview', 'runId'],
      ['get /api/tenants/{tenantId}/backup-schedules/{scheduleId}', 'scheduleId'],
      ['patch /api/tenants/{tenantId}/backup-schedules/{scheduleId}', 'scheduleId'],
      ['delete /api/tenants/{tenantId}/backup-schedules/{scheduleId}', 'scheduleId'],
      ['get /api/tenants/{tenantId}/backup-schedules/{scheduleId}/runs', 'scheduleId'],
      ['post /api/notifications/{notificationId}/read', 'notificationId'],
      ['patch /api/tenants/{tenantId}/members/{userId}', 'userId'],
      ['delete /api/tenants/{tenantId}/members/{userId}', 'userId'],
    ] as const)('%s with a %s that is not a UUID', async (route, parameter) => {
      const response = await callRoute(route, { id: '42', token: tokens['reader@contoso.test'] });
      expect(response).toMatchObject({ status: 400, body: { message: `${parameter}: must be a UUID` } });
    });

    it.each([
      ['limit=0', 'limit: must not be less than 1'],
      ['limit=201', 'limit: must not be greater than 200'],
      ['limit=ten', 'limit: must be an integer number'],
      ['status=done', 'status: must be one of the following values'],
      ['type=policy.delete', 'type: must be one of the following values'],
      ['cursor=', 'cursor: must be longer than or equal to 1 characters'],
      [`cursor=${'c'.repeat(201)}`, 'cursor: must be shorter than or equal to 200 characters'],
      ['tenant=other', 'tenant: property tenant should not exist'],
      ['limit=1&limit=2', 'limit: must be an integer number'],
    ])('GET runs?%s', async (query, message) => {
      const response = await call('get', `${runs}?${query}`, { token: owner() });
      expect(response.status).toBe(400);
      expect((response.body.message as string[]).join('\n')).toContain(message);
    });

    it.each([
      ['limit=0', 'limit: must not be less than 1'],
      ['status=queued', 'status: property status should not exist'],
    ])('GET run items?%s', async (query, message) => {
      const response = await call('get', `${runs}/${contosoRunId}/items?${query}`, { token: owner() });
      expect(response.status).toBe(400);
      expect(response.body.message).toContain(message);
    });

    it.each([
      ['policies?policyType=device-configuration', 'policyType: must be a letter followed by 1 to 63 letters or digits'],
      ['policies?policyType=9', 'policyType: must be a letter followed by 1 to 63 letters or digits'],
      ['policies?search=', 'search: must be longer than or equal to 1 characters'],
      [`policies?search=${'s'.repeat(201)}`, 'search: must be shorter than or equal to 200 characters'],
      ['policies?limit=201', 'limit: must not be greater than 200'],
      ['policies?type=inventory.sync', 'type: property type should not exist'],
      [`policies/${storeId}/versions?limit=0`, 'limit: must not be less than 1'],
      [`policies/${storeId}/versions?policyType=deviceConfiguration`, 'policyType: property policyType should not exist'],
      ['backup-sets?limit=ten', 'limit: must be an integer number'],
      [`backup-sets?cursor=${'c'.repeat(201)}`, 'cursor: must be shorter than or equal to 200 characters'],
      [`backup-sets/${storeId}/items?includeSnapshots=true`, 'includeSnapshots: property includeSnapshots should not exist'],
      [`backup-sets/${storeId}/items?cursor=`, 'cursor: must be longer than or equal to 1 characters'],
      [`backup-sets/${storeId}/export?secrets=plaintext`, 'secrets: must be one of the following values: omit, encrypted'],
      [`backup-sets/${storeId}/export?limit=10`, 'limit: property limit should not exist'],
      [`policies/${storeId}/versions/compare?from=${storeId}&to=latest`, 'to: must be a version id, live, or run:<runId>'],
      [`policies/${storeId}/versions/compare?from=${storeId}&to=run:42`, 'to: must be a version id, live, or run:<runId>'],
      [`policies/${storeId}/versions/compare?from=live&to=${storeId}`, 'from: must be a UUID'],
    ])('GET (backup store) %s', async (pathAndQuery, message) => {
      const response = await call('get', `/api/tenants/${contoso.id}/${pathAndQuery}`, { token: tokens['reader@contoso.test'] });
      expect(response).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request' } });
      expect([response.body.message].flat().join('\n')).toContain(message);
    });

    it.each([
      ['notifications?tenantId=contoso', 'tenantId: must be a UUID'],
      ['notifications?unreadOnly=maybe', 'unreadOnly: must be a boolean value'],
      ['notifications?limit=0', 'limit: must not be less than 1'],
      ['notifications?userId=someone', 'userId: property userId should not exist'],
      [`tenants/${contoso.id}/backup-schedules?limit=201`, 'limit: must not be greater than 200'],
      [`tenants/${contoso.id}/backup-schedules/${storeId}/runs?cursor=`, 'cursor: must be longer than or equal to 1 characters'],
      [`tenants/${contoso.id}/runs/events?since=1`, 'since: property since should not exist'],
      ['runs/events?tenantId=1', 'tenantId: property tenantId should not exist'],
      [`tenants/${contoso.id}/runs/${storeId}/preview?limit=0`, 'limit: must not be less than 1'],
      [`tenants/${contoso.id}/runs/${storeId}/preview?action=create`, 'action: property action should not exist'],
      [`tenants/${contoso.id}/audit-events?runId=r1`, 'runId: must be a UUID'],
      [`tenants/${contoso.id}/audit-events?scheduleId=s1`, 'scheduleId: must be a UUID'],
      [`tenants/${contoso.id}/audit-events?actor=me`, 'actor: property actor should not exist'],
    ])('GET /api/%s', async (pathAndQuery, message) => {
      const response = await call('get', `/api/${pathAndQuery}`, { token: tokens['reader@contoso.test'] });
      expect(response).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request' } });
      expect([response.body.message].flat().join('\n')).toContain(message);
    });

    it.each([`/api/tenants/${contoso.id}/runs/events`, '/api/runs/events'])('GET %s with a Last-Event-ID that is not a stream position', async (path) => {
      const response = await fetch(`${gateway.url}${path}`, {
        headers: { authorization: `Bearer ${tokens['reader@contoso.test']}`, 'last-event-id': 'yesterday' },
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toMatch(/^Last-Event-ID: /);
    });

    it.each([
      ['read-all with a body that is not JSON', 'post', '/api/notifications/read-all', 'all', 'text/plain', 'body: must be sent as Content-Type: application/json'],
      ['read-all with an unknown field', 'post', '/api/notifications/read-all', { everything: true }, undefined, 'everything: property everything should not exist'],
      ['a schedule without a time zone', 'post', `/api/tenants/${contoso.id}/backup-schedules`, { ...SCHEDULE, timeZone: undefined }, undefined, 'timeZone: is required'],
      ['a schedule in an unknown time zone', 'post', `/api/tenants/${contoso.id}/backup-schedules`, { ...SCHEDULE, timeZone: 'Europe/Atlantis' }, undefined, 'timeZone: must be an IANA time zone'],
      ['a schedule at 25:00', 'post', `/api/tenants/${contoso.id}/backup-schedules`, { ...SCHEDULE, timeOfDay: '25:00' }, undefined, 'timeOfDay: must be HH:mm (24-hour)'],
      ['a schedule keeping 0 sets', 'post', `/api/tenants/${contoso.id}/backup-schedules`, { ...SCHEDULE, keepLast: 0 }, undefined, 'keepLast: must not be less than 1'],
      ['a schedule with an unknown field', 'post', `/api/tenants/${contoso.id}/backup-schedules`, { ...SCHEDULE, cron: '* * * * *' }, undefined, 'cron: property cron should not exist'],
      ['a schedule change of nothing', 'patch', `/api/tenants/${contoso.id}/backup-schedules/${storeId}`, {}, undefined, 'body: must change at least one field'],
      ['a schedule change to a monthly frequency', 'patch', `/api/tenants/${contoso.id}/backup-schedules/${storeId}`, { frequency: 'monthly' }, undefined, 'frequency: must be one of the following values'],
    ])('POST/PATCH %s', async (_, method, path, body, contentType, message) => {
      const response = await call(method, path, { token: tokens['owner@contoso.test'], body, contentType });
      expect(response).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request' } });
      expect([response.body.message].flat().join('\n')).toContain(message);
    });

    const policyId = randomUUID();
    it.each([
      ['malformed JSON', '{"type":', 'application/json', 'body: malformed JSON'],
      ['a form instead of JSON', 'type=inventory.sync', 'application/x-www-form-urlencoded', 'body: must be sent as Content-Type: application/json'],
      ['plain text', 'inventory.sync', 'text/plain', 'body: must be sent as Content-Type: application/json'],
      ['a JSON array', '[]', 'application/json', 'body: must be a JSON object'],
      ['a JSON string', '"inventory.sync"', 'application/json', 'body: malformed JSON'],
      ['an unknown field', { type: 'inventory.sync', priority: 1 }, undefined, 'priority: property priority should not exist'],
      ['no type', {}, undefined, 'type: must be one of the following values'],
      ['an unknown type', { type: 'tenant.delete' }, undefined, 'type: must be one of the following values'],
      ['a target that is not an object', { type: 'inventory.sync', target: [] }, undefined, 'target: must be an object'],
      ['a null scope', { type: 'inventory.sync', scope: null }, undefined, 'scope: must be an object'],
      ['a bad policy id', { type: 'policy.capture_snapshot', target: { policyId: 'p1' } }, undefined, 'target.policyId: must be a UUID'],
      ['an unknown target field', { type: 'policy.capture_snapshot', target: { policyId, force: true } }, undefined, 'target.force: property force should not exist'],
      ['a bad scope item', { type: 'restore.preview', target: { backupSetId: policyId }, scope: { backupItemIds: ['x'] } }, undefined, 'scope.backupItemIds: each value in backupItemIds must be a UUID'],
      ['a scope field of another run type', { type: 'inventory.sync', scope: { backupItemIds: [policyId] } }, undefined, 'scope.backupItemIds: property backupItemIds should not exist'],
      ['a schedule run (whatever its target)', { type: 'backup_schedule.run', target: { scheduleId: policyId, slot: 'tomorrow' } }, undefined, 'type: backup_schedule.run runs are started by their schedule'],
      ['a target over its size cap', { type: 'backup_set.create', target: { name: 'n'.repeat(4000) } }, undefined, 'target: must not exceed 2048 bytes of JSON'],
      ['a body over the limit', { type: 'inventory.sync', scope: { policyTypes: Array.from({ length: 8000 }, () => 'deviceConfiguration') } }, undefined, `request body exceeds ${BODY_LIMIT} bytes`],
    ])('POST runs with %s', async (_, body, contentType, message) => {
      const response = await call('post', runs, { token: owner(), body, contentType });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect([response.body.message].flat().join('\n')).toContain(message);
    });

    it('answers a reader 403 before looking at the target (role first, then shape)', async () => {
      const response = await call('post', runs, { token: tokens['reader@contoso.test'], body: { type: 'policy.capture_snapshot', target: { policyId: 'p1' } } });
      expect(response.status).toBe(403);
    });
  });

  it('never answers 5xx to hostile input', async () => {
    const owner = tokens['owner@contoso.test'];
    const runs = `/api/tenants/${contoso.id}/runs`;
    const deep = JSON.parse(`${'{"a":'.repeat(500)}1${'}'.repeat(500)}`);
    const attempts: Promise<Call>[] = [
      call('post', runs, { token: owner, body: '{"__proto__":{"isAdmin":true},"type":"inventory.sync"}' }),
      call('post', runs, { token: owner, body: '{"constructor":{"prototype":{"x":1}},"type":"inventory.sync"}' }),
      // class-transformer fails on an untyped object with a constructor field (a TypeError): refused as input instead.
      call('post', runs, { token: owner, body: '{"type":"policy.capture_snapshot","target":{"constructor":"x"},"scope":{}}' }),
      call('post', runs, { token: owner, body: { type: 'inventory.sync', target: { __proto__: { polluted: true } } } }),
      call('post', runs, { token: owner, body: { type: 'policy.capture_snapshot', target: deep } }),
      call('post', runs, { token: owner, body: { type: ['inventory.sync'] } }),
      call('post', runs, { token: owner, body: { type: 'inventory.sync', scope: { policyTypes: [1, null, {}] } } }),
      call('post', runs, { token: owner, body: '\u0000\u0001' }),
      call('post', runs, { token: owner, body: '{"type":"inventory.sync"}', contentType: 'application/json; charset=latin-9' }),
      call('get', `${runs}?limit=1e309&cursor[$ne]=1`, { token: owner }),
      call('get', `${runs}/%E0%A4%A`, { token: owner }),
      call('get', `/api/tenants/${contoso.id}%00/runs`, { token: owner }),
      call('get', `/api/tenants/${'9'.repeat(5000)}/runs`, { token: owner }),
      call('get', `/api/tenants/${contoso.id}/policies?search[$ne]=1&policyType[]=x`, { token: owner }),
      call('get', `/api/tenants/${contoso.id}/policies?limit=-0&search=${'%00'.repeat(10)}x`, { token: owner }),
      call('get', `/api/tenants/${contoso.id}/policy-versions/%E0%A4%A`, { token: owner }),
      call('get', `/api/tenants/${contoso.id}/backup-sets/${'f'.repeat(5000)}/items`, { token: owner }),
      call('get', runs, { authorization: `Bearer ${'A'.repeat(20_000)}` }),
      call('delete', `${runs}/${contosoRunId}`, { token: owner }),
    ];
    const statuses = (await Promise.all(attempts)).map((response) => response.status);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
  });
});

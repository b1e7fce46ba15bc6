// Another tenant's ids, on every API route that takes an id (issue 14, defect 11), with every service
// that owns a kind of id running for real: one resource of each kind made in Fabrikam, then asked for
// under Contoso's path (or, for the routes outside a tenant, as someone else): 403 for a caller who
// cannot see Fabrikam, 404 for an id that exists nowhere, and for a caller who can see both tenants
// 404 under Contoso's path (it is not there) — the rule in ARCHITECTURE.md "The MSP directory". The
// routes come from the gateway's OpenAPI document, so a new route with an id fails here until it has
// its row in ROUTES.
import { randomUUID } from 'node:crypto';
import {
  RunStatus,
  RunType,
  TenantRole,
  type BackupScheduleView,
  type NotificationPage,
  type Page,
  type PolicyVersionSummary,
  type PolicyView,
  type RunView,
} from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, FABRIKAM, gatewayRuns, graphEmulatorEnv, startStack, waitFor, type GatewayRuns, type Stack } from '@policyvault/testing';

const CONTOSO_OWNER = 'owner@contoso.test';
const FABRIKAM_OWNER = 'owner@fabrikam.test';
const ADMIN = 'admin@msp.test';
/** A member (owner) of both tenants, added in beforeAll: sees both through memberships, not the directory role. */
const BOTH = `both-${randomUUID().slice(0, 8)}@msp.example`;
const FORBIDDEN = { statusCode: 403, error: 'Forbidden', message: 'you are not a member of this tenant' };

/** The ids made in Fabrikam, one of each kind. */
interface FabrikamIds {
  run: string;
  previewRun: string;
  policy: string;
  versions: [string, string];
  backupSet: string;
  schedule: string;
  driftReport: string;
  notification: string;
  fleetBatch: string;
  member: string;
  notificationEndpoint: string;
  notificationSubscription: string;
}

/** How to call a route for an id, and what a caller who sees both tenants gets for Fabrikam's. */
interface RouteCase {
  /** The request path (and query) with `id` in its place; tenant routes under Contoso. */
  path: (id: string) => string;
  /** The id of this route's kind that Fabrikam holds. */
  fabrikamId: (ids: FabrikamIds) => string;
  body?: object;
  /** Tenant routes: 404 (not under this path). Routes outside a tenant show what the caller can see. */
  seenByBoth: number;
}

const inContoso = (rest: string) => `/api/tenants/${CONTOSO.id}${rest}`;

/** Every route with an id besides the tenant's, as the OpenAPI document names it. */
const ROUTES: Record<string, RouteCase> = {
  'patch /api/tenants/{tenantId}/members/{userId}': {
    path: (id) => inContoso(`/members/${id}`),
    fabrikamId: (ids) => ids.member,
    body: { role: TenantRole.Reader },
    seenByBoth: 404,
  },
  'delete /api/tenants/{tenantId}/members/{userId}': { path: (id) => inContoso(`/members/${id}`), fabrikamId: (ids) => ids.member, seenByBoth: 404 },
  'get /api/tenants/{tenantId}/runs/{runId}': { path: (id) => inContoso(`/runs/${id}`), fabrikamId: (ids) => ids.run, seenByBoth: 404 },
  'get /api/tenants/{tenantId}/runs/{runId}/items': { path: (id) => inContoso(`/runs/${id}/items`), fabrikamId: (ids) => ids.run, seenByBoth: 404 },
  'post /api/tenants/{tenantId}/runs/{runId}/cancel': { path: (id) => inContoso(`/runs/${id}/cancel`), fabrikamId: (ids) => ids.run, seenByBoth: 404 },
  'get /api/tenants/{tenantId}/runs/{runId}/events': { path: (id) => inContoso(`/runs/${id}/events`), fabrikamId: (ids) => ids.run, seenByBoth: 404 },
  'get /api/tenants/{tenantId}/runs/{runId}/preview': { path: (id) => inContoso(`/runs/${id}/preview`), fabrikamId: (ids) => ids.previewRun, seenByBoth: 404 },
  'get /api/tenants/{tenantId}/policies/{policyId}': { path: (id) => inContoso(`/policies/${id}`), fabrikamId: (ids) => ids.policy, seenByBoth: 404 },
  'get /api/tenants/{tenantId}/policies/{policyId}/versions': { path: (id) => inContoso(`/policies/${id}/versions`), fabrikamId: (ids) => ids.policy, seenByBoth: 404 },
  'get /api/tenants/{tenantId}/policies/{policyId}/versions/compare': {
    // The policy is Fabrikam's and so are both versions; for a random policy id, random versions too.
    path: (id) => inContoso(`/policies/${id}/versions/compare?from=${versionsFor(id)[0]}&to=${versionsFor(id)[1]}`),
    fabrikamId: (ids) => ids.policy,
    seenByBoth: 404,
  },
  'get /api/tenants/{tenantId}/policy-versions/{versionId}': { path: (id) => inContoso(`/policy-versions/${id}`), fabrikamId: (ids) => ids.versions[0], seenByBoth: 404 },
  'get /api/tenants/{tenantId}/backup-sets/{setId}': { path: (id) => inContoso(`/backup-sets/${id}`), fabrikamId: (ids) => ids.backupSet, seenByBoth: 404 },
  'get /api/tenants/{tenantId}/backup-sets/{setId}/items': { path: (id) => inContoso(`/backup-sets/${id}/items`), fabrikamId: (ids) => ids.backupSet, seenByBoth: 404 },
  'get /api/tenants/{tenantId}/backup-sets/{setId}/export': {
    path: (id) => inContoso(`/backup-sets/${id}/export?secrets=omit`),
    fabrikamId: (ids) => ids.backupSet,
    seenByBoth: 404,
  },
  'get /api/tenants/{tenantId}/backup-sets/{setId}/report': {
    path: (id) => inContoso(`/backup-sets/${id}/report?format=html`),
    fabrikamId: (ids) => ids.backupSet,
    seenByBoth: 404,
  },
  'get /api/tenants/{tenantId}/backup-schedules/{scheduleId}': {
    path: (id) => inContoso(`/backup-schedules/${id}`),
    fabrikamId: (ids) => ids.schedule,
    seenByBoth: 404,
  },
  'patch /api/tenants/{tenantId}/backup-schedules/{scheduleId}': {
    path: (id) => inContoso(`/backup-schedules/${id}`),
    fabrikamId: (ids) => ids.schedule,
    body: { enabled: false },
    seenByBoth: 404,
  },
  'delete /api/tenants/{tenantId}/backup-schedules/{scheduleId}': {
    path: (id) => inContoso(`/backup-schedules/${id}`),
    fabrikamId: (ids) => ids.schedule,
    seenByBoth: 404,
  },
  'get /api/tenants/{tenantId}/backup-schedules/{scheduleId}/runs': {
    path: (id) => inContoso(`/backup-schedules/${id}/runs`),
    fabrikamId: (ids) => ids.schedule,
    seenByBoth: 404,
  },
  'get /api/tenants/{tenantId}/drift-reports/{reportId}': { path: (id) => inContoso(`/drift-reports/${id}`), fabrikamId: (ids) => ids.driftReport, seenByBoth: 404 },
  'delete /api/tenants/{tenantId}/notification-endpoints/{endpointId}': {
    path: (id) => inContoso(`/notification-endpoints/${id}`),
    fabrikamId: (ids) => ids.notificationEndpoint,
    seenByBoth: 404,
  },
  'post /api/tenants/{tenantId}/notification-endpoints/{endpointId}/enable': {
    path: (id) => inContoso(`/notification-endpoints/${id}/enable`),
    fabrikamId: (ids) => ids.notificationEndpoint,
    seenByBoth: 404,
  },
  'post /api/tenants/{tenantId}/notification-endpoints/{endpointId}/test': {
    path: (id) => inContoso(`/notification-endpoints/${id}/test`),
    fabrikamId: (ids) => ids.notificationEndpoint,
    seenByBoth: 404,
  },
  'delete /api/tenants/{tenantId}/notification-subscriptions/{subscriptionId}': {
    path: (id) => inContoso(`/notification-subscriptions/${id}`),
    fabrikamId: (ids) => ids.notificationSubscription,
    seenByBoth: 404,
  },
  // Outside a tenant: a notification is its recipient's, so someone else who sees its tenant gets 404.
  'post /api/notifications/{notificationId}/read': { path: (id) => `/api/notifications/${id}/read`, fabrikamId: (ids) => ids.notification, seenByBoth: 404 },
  // Outside a tenant: a batch is shown to whoever sees one of its tenants.
  'get /api/fleet/batches/{batchId}': { path: (id) => `/api/fleet/batches/${id}`, fabrikamId: (ids) => ids.fleetBatch, seenByBoth: 200 },
};

/** The compare route's versions: Fabrikam's for Fabrikam's policy, random ones for any other id. */
let fabrikamPolicyVersions: { policy: string; versions: [string, string] } | undefined;
const randomVersions = new Map<string, [string, string]>();
function versionsFor(policyId: string): [string, string] {
  if (policyId === fabrikamPolicyVersions?.policy) return fabrikamPolicyVersions.versions;
  if (!randomVersions.has(policyId)) randomVersions.set(policyId, [randomUUID(), randomUUID()]);
  return randomVersions.get(policyId)!;
}

describe("another tenant's ids on every route (gateway, run-service, capture-worker, restore-worker, notifier, emulator)", () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let fabrikamRuns: GatewayRuns;
  let ids: FabrikamIds;
  const tokens: Record<string, string> = {};

  async function call(method: string, path: string, email: string, body?: object): Promise<{ status: number; body: unknown; text: string }> {
    const response = await fetch(`${stack.gatewayUrl}${path}`, {
      method: method.toUpperCase(),
      headers: { authorization: `Bearer ${tokens[email]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    // A stream (SSE, zip) that opened is not read to its end: its status is the answer.
    if (!(response.headers.get('content-type') ?? '').includes('application/json')) {
      await response.body?.cancel();
      return { status: response.status, body: undefined, text: '' };
    }
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text), text };
  }

  async function api<T>(method: string, path: string, email: string, body?: object): Promise<T> {
    const answer = await call(method, path, email, body);
    if (answer.status >= 400) throw new Error(`${method} ${path} answered ${answer.status}: ${answer.text}`);
    return answer.body as T;
  }

  const callRoute = (route: string, id: string, email: string) => {
    const [method] = route.split(' ');
    return call(method, ROUTES[route].path(id), email, ROUTES[route].body);
  };

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: {} } });
    emulator.admin.resetTenant(FABRIKAM.directoryId, { displayName: 'Fabrikam', seed: { policiesPerType: 0, counts: { deviceConfiguration: 2 } } });
    // Private targets allowed: Fabrikam's webhook endpoint points at a closed loopback port, nothing leaves the machine.
    stack = await startStack({
      services: ['run-service', 'capture-worker', 'restore-worker', 'notifier', 'gateway'],
      env: { ...graphEmulatorEnv(emulator.url), NOTIFICATION_ALLOW_PRIVATE_TARGETS: 'true' },
    });
    for (const email of [CONTOSO_OWNER, FABRIKAM_OWNER, ADMIN]) tokens[email] = await stack.token(email);
    for (const tenant of [CONTOSO, FABRIKAM]) await api('post', `/api/tenants/${tenant.id}/members`, ADMIN, { email: BOTH, role: TenantRole.Owner });
    tokens[BOTH] = await stack.token(BOTH);
    fabrikamRuns = gatewayRuns(stack.gatewayUrl, tokens[FABRIKAM_OWNER]);
    const finished = async (type: RunType, target: object, scope: object = {}): Promise<RunView> => {
      const { reply } = await fabrikamRuns.start(FABRIKAM.id, { type, target, scope });
      const run = await fabrikamRuns.waitUntilTerminal(FABRIKAM.id, reply.run.id, { timeoutMs: 60_000 });
      expect(run.status).toBe(RunStatus.Succeeded);
      return run;
    };

    const backup = await finished(RunType.BackupSetCreate, { name: 'Fabrikam baseline' }, { policyTypes: ['deviceConfiguration'] });
    const backupSet = String(backup.summary?.backupSetId);
    const preview = await finished(RunType.RestorePreview, { backupSetId: backupSet });
    const [policy] = (await api<Page<PolicyView>>('get', `/api/tenants/${FABRIKAM.id}/policies`, FABRIKAM_OWNER)).items;
    const [version] = (await api<Page<PolicyVersionSummary>>('get', `/api/tenants/${FABRIKAM.id}/policies/${policy.id}/versions`, FABRIKAM_OWNER)).items;
    // The drift check is started as a fleet batch: one run gives the batch and the report.
    const batch = await api<{ id: string; items: { runId: string | null }[] }>('post', '/api/fleet/runs', FABRIKAM_OWNER, {
      type: RunType.DriftCheck,
      target: {},
      scope: {},
      tenantIds: [FABRIKAM.id],
    });
    const drift = await fabrikamRuns.waitUntilTerminal(FABRIKAM.id, String(batch.items[0].runId), { timeoutMs: 60_000 });
    expect(drift.status).toBe(RunStatus.Succeeded);
    const schedule = await api<BackupScheduleView>('post', `/api/tenants/${FABRIKAM.id}/backup-schedules`, FABRIKAM_OWNER, {
      name: 'Nightly',
      frequency: 'daily',
      timeOfDay: '02:00',
      timeZone: 'Europe/Berlin',
      keepLast: 7,
    });
    const notifications = await waitFor(
      () => api<NotificationPage>('get', '/api/notifications', FABRIKAM_OWNER),
      (page) => page.items.length > 0,
      { what: "a notification of Fabrikam's owner" },
    );
    const me = await api<{ userId: string }>('get', '/api/me', FABRIKAM_OWNER);
    const endpoint = await api<{ id: string }>('post', `/api/tenants/${FABRIKAM.id}/notification-endpoints`, FABRIKAM_OWNER, {
      scope: 'tenant',
      kind: 'webhook',
      name: 'Fabrikam PSA',
      url: 'http://127.0.0.1:9/hook',
    });
    const subscription = await api<{ id: string }>('post', `/api/tenants/${FABRIKAM.id}/notification-subscriptions`, FABRIKAM_OWNER, {
      scope: 'tenant',
      endpointId: endpoint.id,
      events: ['drift.found'],
      digest: true,
    });
    ids = {
      run: backup.id,
      previewRun: preview.id,
      policy: policy.id,
      versions: [version.id, version.id],
      backupSet,
      schedule: schedule.id,
      driftReport: String(drift.summary?.reportId),
      notification: notifications.items[0].id,
      fleetBatch: batch.id,
      member: me.userId,
      notificationEndpoint: endpoint.id,
      notificationSubscription: subscription.id,
    };
    fabrikamPolicyVersions = { policy: policy.id, versions: ids.versions };
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await emulator?.close();
  });

  it('has a case for every route with an id in the OpenAPI document', async () => {
    const document = (await (await fetch(`${stack.gatewayUrl}/docs-json`)).json()) as { paths: Record<string, object> };
    const withIds = Object.entries(document.paths)
      .filter(([path]) => (path.match(/\{[^}]+\}/g) ?? []).some((parameter) => parameter !== '{tenantId}'))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`));
    expect(withIds.sort()).toEqual(Object.keys(ROUTES).sort());
  });

  const routes = Object.keys(ROUTES);

  it.each(routes)("%s: Fabrikam's id as Contoso's owner is 403, saying nothing about Fabrikam", async (route) => {
    const answer = await callRoute(route, ROUTES[route].fabrikamId(ids), CONTOSO_OWNER);
    expect({ route, status: answer.status, body: answer.body }).toEqual({ route, status: 403, body: FORBIDDEN });
  });

  it.each(routes)('%s: an id that exists nowhere is 404', async (route) => {
    const answer = await callRoute(route, randomUUID(), CONTOSO_OWNER);
    expect({ route, status: answer.status }).toEqual({ route, status: 404 });
    expect(answer.text).not.toContain(FABRIKAM.id);
  });

  it.each(routes.flatMap((route) => [ADMIN, BOTH].map((email) => [route, email] as const)))(
    "%s: Fabrikam's id for %s, who sees both tenants, is the route's rule (404 under Contoso)",
    async (route, email) => {
      const answer = await callRoute(route, ROUTES[route].fabrikamId(ids), email);
      expect({ route, status: answer.status }).toEqual({ route, status: ROUTES[route].seenByBoth });
      if (answer.status === 404) expect(answer.text).not.toContain(FABRIKAM.id);
    },
  );

  it.each(routes)('%s: a malformed id is 400', async (route) => {
    expect((await callRoute(route, 'not-a-uuid', CONTOSO_OWNER)).status).toBe(400);
  });

  it("left every Fabrikam resource as it was (nothing was canceled, changed or removed through Contoso's path)", async () => {
    expect((await api<BackupScheduleView>('get', `/api/tenants/${FABRIKAM.id}/backup-schedules/${ids.schedule}`, FABRIKAM_OWNER)).enabled).toBe(true);
    const members = await api<{ items: { userId: string; role: TenantRole }[] }>('get', `/api/tenants/${FABRIKAM.id}/members`, FABRIKAM_OWNER);
    expect(members.items.find((member) => member.userId === ids.member)?.role).toBe(TenantRole.Owner);
    expect((await fabrikamRuns.get(FABRIKAM.id, ids.run)).status).toBe(RunStatus.Succeeded);
    const endpoints = await api<{ id: string }[]>('get', `/api/tenants/${FABRIKAM.id}/notification-endpoints`, FABRIKAM_OWNER);
    expect(endpoints.map((endpoint) => endpoint.id)).toEqual([ids.notificationEndpoint]);
    const subscriptions = await api<{ id: string }[]>('get', `/api/tenants/${FABRIKAM.id}/notification-subscriptions`, FABRIKAM_OWNER);
    expect(subscriptions.map((subscription) => subscription.id)).toEqual([ids.notificationSubscription]);
    // No test message was queued through Contoso's path.
    expect(await api<unknown[]>('get', `/api/tenants/${FABRIKAM.id}/notification-deliveries`, FABRIKAM_OWNER)).toEqual([]);
  });
});

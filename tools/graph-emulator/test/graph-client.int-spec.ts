import { DEMO_GRAPH_APP, SafeErrorCode } from '@policyvault/contracts';
import {
  firstReadsFor,
  getPolicyTypeContract,
  GraphError,
  listPolicies,
  listPolicyTypes,
  readAllPolicySnapshots,
  RunListings,
  ReadOnlyViolationError,
  TenantUnavailableError,
  type GraphClientFactory,
} from '@policyvault/graph';
import { startGraphEmulator, type RunningGraphEmulator } from '../src/index.js';
import { factoryFor, newTenantId, recordingNetworkClient } from './emulator-harness.js';

const collection = '/beta/deviceManagement/deviceConfigurations';

describe('libs/graph against the Graph emulator', () => {
  let emulator: RunningGraphEmulator;
  const factories: GraphClientFactory[] = [];
  const track = (factory: GraphClientFactory) => (factories.push(factory), factory);

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false, pageSize: 100 });
  });
  afterAll(async () => {
    for (const factory of factories) factory.close();
    await emulator.close();
  });

  it('follows @odata.nextLink across many pages and returns every object once', async () => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: { policiesPerType: 0, counts: { deviceConfiguration: 253 } } });
    const client = track(factoryFor(emulator)).forTenant(tenant);
    const result = await listPolicies(client, 'deviceConfiguration', 10);
    if (!result.supported) throw new Error('expected a supported type');
    const ids = result.items.map((item) => item.id);
    expect(ids).toHaveLength(253);
    expect(new Set(ids).size).toBe(253);
    expect(new Set(ids)).toEqual(new Set(emulator.admin.listObjects(tenant, 'deviceConfiguration')?.map((item) => item.id)));
    expect(emulator.journal.list({ tenant, kind: 'graph' }).filter((entry) => entry.method === 'GET')).toHaveLength(26);
  });

  it("a backup's listing shows each entry's assignments, but lists mobile apps without them (Graph deprecates it)", async () => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: { policiesPerType: 0, counts: { deviceConfiguration: 3 } } });
    for (const name of ['Agent', 'Browser', 'Editor']) {
      emulator.admin.putObject(tenant, 'mobileApp', { '@odata.type': '#microsoft.graph.win32LobApp', displayName: name, assignments: [{ id: `${name}_a`, intent: 'required', target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }] });
    }
    const client = track(factoryFor(emulator)).forTenant(tenant);
    const configurations = await listPolicies(client, 'deviceConfiguration', 100, { expandAssignments: true });
    const apps = await listPolicies(client, 'mobileApp', 100, { expandAssignments: true });
    if (!configurations.supported || !apps.supported) throw new Error('expected supported types');
    expect(configurations.items.map((item) => Array.isArray(item.assignments))).toEqual([true, true, true]);
    expect(apps.items).toHaveLength(3);
    expect(apps.items.map((item) => item.assignments)).toEqual([undefined, undefined, undefined]);
    // The emulator answers 400 to the deprecated listing: nothing was refused.
    expect(emulator.journal.list({ tenant, kind: 'graph' }).map((entry) => entry.status)).toEqual([200, 200]);
  });

  it('lists a collection several types share once per run, each type keeping its own kinds', async () => {
    const tenant = newTenantId();
    // Enrollment limits and status pages, plus the tenant's default restrictions and status page (built in).
    emulator.admin.resetTenant(tenant, { seed: { policiesPerType: 0, counts: { enrollmentConfiguration: 4 } } });
    const client = track(factoryFor(emulator)).forTenant(tenant);
    const types = ['enrollmentConfiguration', 'enrollmentStatusPage', 'enrollmentPlatformRestriction', 'enrollmentDeviceLimit', 'enrollmentWindowsHelloForBusiness'];
    const alone = await Promise.all(types.map((type) => listPolicies(client, type, 100, { expandAssignments: true })));
    const listed = () => emulator.journal.list({ tenant, kind: 'graph' }).filter((entry) => entry.path.endsWith('/deviceEnrollmentConfigurations'));
    expect(listed()).toHaveLength(5);
    const listings = new RunListings(client);
    const shared = await Promise.all(types.map((type) => listPolicies(client, type, 100, { expandAssignments: true, listings })));
    expect(listed()).toHaveLength(6);
    const ids = (results: typeof alone) => results.map((result) => (result.supported ? result.items.map((item) => item.id) : result));
    expect(ids(shared)).toEqual(ids(alone));
    expect(ids(shared).flat()).toHaveLength(6);
    expect(new Set(ids(shared).flat()).size).toBe(6);
    // One listing, so one time it shows the tenant at; another type's collection is listed as before.
    expect(new Set(shared.map((result) => (result.supported ? result.listedAt.getTime() : 0))).size).toBe(1);
    await listPolicies(client, 'deviceConfiguration', 100, { expandAssignments: true, listings });
    await listPolicies(client, 'deviceConfiguration', 100, { expandAssignments: true, listings });
    expect(emulator.journal.list({ tenant, kind: 'graph' }).filter((entry) => entry.path.endsWith('/deviceConfigurations'))).toHaveLength(2);
  });

  it("reads the first pages of a run's listings together in $batch calls: the same listings, at the same cost against the budget", async () => {
    const tenant = newTenantId();
    // Pages of 10, so the device configurations go on past their first page; the enrollment kinds share a collection;
    // Graph refuses the compliance policies' listing (403) and finds no intents (404), inside a batch as alone.
    emulator.admin.resetTenant(tenant, { seed: { policiesPerType: 0, counts: { deviceConfiguration: 23, compliancePolicy: 3, enrollmentConfiguration: 4 } } });
    emulator.admin.setFaults(tenant, { failIds: { deviceCompliancePolicies: 403, intents: 404 } });
    const client = track(factoryFor(emulator)).forTenant(tenant);
    const types = listPolicyTypes({ includeFoundations: true });
    type Outcome = { items: unknown[][] } | { error: string; status?: number } | { unsupported: string };
    const listAll = (listings: RunListings) =>
      Promise.all(
        types.map((type) =>
          listPolicies(client, type, 10, { expandAssignments: true, listings }).then(
            (result): Outcome => (result.supported ? { items: result.items.map((item) => [item.id, Array.isArray(item.assignments)]).sort() } : { unsupported: result.reason }),
            (error: unknown): Outcome => {
              if (error instanceof GraphError) return { error: error.code, status: error.httpStatus };
              throw error;
            },
          ),
        ),
      );
    // What the tenant's budget counts (a batch's sub-requests one each), and the HTTP exchanges.
    const counted = () => emulator.journal.list({ tenant }).filter((entry) => entry.kind === 'batch-item' || (entry.kind === 'graph' && !entry.path.endsWith('/$batch'))).length;
    const exchanges = () => emulator.journal.list({ tenant, kind: 'graph' }).length;

    const before = { counted: counted(), exchanges: exchanges() };
    const oneByOne = await listAll(new RunListings(client));
    const oneByOneCost = { counted: counted() - before.counted, exchanges: exchanges() - before.exchanges };

    const prefetched = new RunListings(client);
    prefetched.prefetch(types, { expandAssignments: true, pageSize: 10 });
    const middle = { counted: counted(), exchanges: exchanges() };
    const together = await listAll(prefetched);

    expect(together).toEqual(oneByOne);
    expect(oneByOne[types.indexOf('compliancePolicy')]).toEqual({ error: SafeErrorCode.GraphForbidden, status: 403 });
    expect(oneByOne[types.indexOf('endpointSecurityIntent')]).toEqual({ error: SafeErrorCode.GraphNotFound, status: 404 });
    expect(oneByOne.filter((outcome) => 'error' in outcome)).toHaveLength(2);
    expect(oneByOne[types.indexOf('deviceConfiguration')]).toMatchObject({ items: expect.arrayContaining([expect.arrayContaining([true])]) });
    expect(oneByOne[types.indexOf('deviceConfiguration')]).toHaveProperty('items.length', 23);
    // Every first read (a collection's first page, a tenant's one object, a nested type's parents) in a batch of at
    // most 20 per API version; the rest as before (later pages, nested objects).
    const firstPages = new Map<string, Set<string>>();
    for (const type of types) {
      const lookup = getPolicyTypeContract(type);
      if (!lookup.supported) continue;
      for (const url of firstReadsFor(lookup.contract, 10, { expandAssignments: true })) firstPages.set(lookup.contract.apiVersion, (firstPages.get(lookup.contract.apiVersion) ?? new Set()).add(url));
    }
    const urls = [...firstPages.values()].reduce((sum, set) => sum + set.size, 0);
    const batches = [...firstPages.values()].reduce((sum, set) => sum + (set.size < 2 ? 0 : Math.ceil(set.size / 20)), 0);
    expect(urls).toBeGreaterThan(30);
    expect({ counted: counted() - middle.counted, exchanges: exchanges() - middle.exchanges }).toEqual({
      counted: oneByOneCost.counted,
      exchanges: oneByOneCost.exchanges - urls + batches + [...firstPages.values()].filter((set) => set.size < 2).length,
    });
  });

  it('leaves no unhandled rejection behind when a prefetched page is never asked for', async () => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: { policiesPerType: 0 }, consent: false });
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      new RunListings(track(factoryFor(emulator)).forTenant(tenant)).prefetch(listPolicyTypes());
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(emulator.journal.list({ tenant, kind: 'token' }).length).toBeGreaterThan(0);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('sends nothing to a tenant before a 429 Retry-After has elapsed', async () => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: { policiesPerType: 0, counts: { deviceConfiguration: 2 } } });
    emulator.admin.setThrottle(tenant, { requestsPerWindow: 3, writesPerWindow: 1, windowSeconds: 2 });
    const client = track(factoryFor(emulator, { maxConcurrentRequestsPerTenant: 2, maxAttempts: 6 })).forTenant(tenant);

    await Promise.all(Array.from({ length: 7 }, () => client.get(collection)));

    const entries = emulator.journal.list({ tenant, kind: 'graph' });
    const throttled = entries.filter((entry) => entry.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    for (const rejection of throttled) {
      expect(rejection.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      const notBefore = rejection.respondedAt + (rejection.retryAfterSeconds ?? 0) * 1000;
      // Requests already in flight when the 429 was sent may land just after it; nothing later may.
      const later = entries.filter((entry) => entry.time > rejection.respondedAt + 50);
      for (const entry of later) expect(entry.time).toBeGreaterThanOrEqual(notBefore);
    }
    expect(entries.filter((entry) => entry.status === 200)).toHaveLength(7);
  });

  it('opens the tenant breaker on repeated 503s, fails fast with a typed retry-after, and recovers half-open', async () => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: { policiesPerType: 0, counts: { deviceConfiguration: 1 } } });
    const factory = track(factoryFor(emulator, { maxAttempts: 2, breaker: { volumeThreshold: 4, errorThresholdPercentage: 50, resetTimeoutMs: 1000 } }));
    const client = factory.forTenant(tenant);
    await client.get(collection);
    emulator.admin.setFaults(tenant, { errorRate: 1 });

    let unavailable: unknown;
    for (let call = 0; call < 10 && !unavailable; call += 1) {
      try {
        await client.get(collection);
      } catch (error) {
        expect(error).toBeInstanceOf(GraphError);
        if (error instanceof TenantUnavailableError) unavailable = error;
        else expect((error as GraphError).code).toBe(SafeErrorCode.GraphUnavailable);
      }
    }
    expect(unavailable).toBeInstanceOf(TenantUnavailableError);
    expect((unavailable as TenantUnavailableError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(client.circuitState()).toBe('open');
    const sentBefore = emulator.journal.list({ tenant }).length;
    await expect(client.get(collection)).rejects.toBeInstanceOf(TenantUnavailableError);
    expect(emulator.journal.list({ tenant })).toHaveLength(sentBefore);

    emulator.admin.setFaults(tenant, undefined);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(client.circuitState()).toBe('halfOpen');
    await expect(client.get(collection)).resolves.toMatchObject({ value: expect.any(Array) });
    expect(client.circuitState()).toBe('closed');
  });

  it('does not count 4xx answers against the breaker', async () => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: false });
    const client = track(factoryFor(emulator, { breaker: { volumeThreshold: 3, resetTimeoutMs: 1000 } })).forTenant(tenant);
    for (let call = 0; call < 8; call += 1) {
      await expect(client.get(`${collection}/missing-${call}`)).rejects.toMatchObject({ code: SafeErrorCode.GraphNotFound, httpStatus: 404 });
    }
    expect(client.circuitState()).toBe('closed');
  });

  it('read-only clients refuse every write before sending it (the journal sees none)', async () => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: { policiesPerType: 0, counts: { deviceConfiguration: 3 } } });
    const client = track(factoryFor(emulator)).forTenant(tenant, { readOnly: true });
    const [existing] = emulator.admin.listObjects(tenant, 'deviceConfiguration') ?? [];
    const attempts = [
      client.request({ method: 'POST', path: collection, body: { displayName: 'x', '@odata.type': '#microsoft.graph.windows10GeneralConfiguration' } }),
      client.request({ method: 'PATCH', path: `${collection}/${String(existing.id)}`, body: { displayName: 'changed' } }),
      client.request({ method: 'PUT', path: `${collection}/${String(existing.id)}`, body: {} }),
      client.request({ method: 'DELETE', path: `${collection}/${String(existing.id)}` }),
      client.batch('beta', [
        { id: '1', method: 'GET', url: '/deviceManagement/deviceConfigurations' },
        { id: '2', method: 'DELETE', url: `/deviceManagement/deviceConfigurations/${String(existing.id)}` },
      ]),
    ];
    for (const attempt of attempts) await expect(attempt).rejects.toBeInstanceOf(ReadOnlyViolationError);
    expect(emulator.journal.list({ tenant })).toHaveLength(0);

    const reads = await client.batch('beta', [{ id: '1', method: 'GET', url: '/deviceManagement/deviceConfigurations' }]);
    expect(reads[0]).toMatchObject({ ok: true, status: 200 });
    expect(emulator.journal.writes({ tenant })).toHaveLength(0);
    expect(emulator.admin.getObject(tenant, 'deviceConfiguration', String(existing.id))?.displayName).toBe(existing.displayName);
  });

  it('serves many calls with one MSAL token request', async () => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: { policiesPerType: 0, counts: { deviceConfiguration: 5 } } });
    const client = track(factoryFor(emulator)).forTenant(tenant);
    await Promise.all(Array.from({ length: 20 }, () => client.get(collection)));
    for (let call = 0; call < 10; call += 1) await client.get(collection);
    expect(emulator.journal.list({ tenant, kind: 'graph' }).filter((entry) => entry.status === 200)).toHaveLength(30);
    expect(emulator.journal.list({ tenant, kind: 'token' })).toHaveLength(1);
  });

  it('turns a wrong client secret into a typed auth error that does not carry the secret', async () => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: false });
    const wrongSecret = 'wrong-secret-value-7f3a9c';
    const client = track(factoryFor(emulator, { credentials: { clientId: DEMO_GRAPH_APP.clientId, clientSecret: wrongSecret } })).forTenant(tenant);
    const error = await client.get(collection).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ code: SafeErrorCode.GraphAuthFailed, graphErrorCode: 'AADSTS7000215' });
    const exposed = [String((error as Error).message), String((error as Error).stack), JSON.stringify(error), JSON.stringify((error as GraphError).toSafeError())].join('\n');
    expect(exposed).not.toContain(wrongSecret);
    expect(emulator.journal.list({ tenant, kind: 'graph' })).toHaveLength(0);
  });

  it('never puts the token or the secret in an error message or serialization', async () => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: { policiesPerType: 0, counts: { deviceConfiguration: 2 } } });
    const tokens: string[] = [];
    const factory = track(factoryFor(emulator, { maxAttempts: 1, requestTimeoutMs: 300 }, tokens));
    const client = factory.forTenant(tenant);
    await client.get(collection);
    const errors: unknown[] = [];
    const capture = (promise: Promise<unknown>) => promise.catch((error: unknown) => errors.push(error));
    await capture(client.get(`${collection}/unknown-id`));
    await capture(client.request({ method: 'POST', path: collection, body: { id: 'x', displayName: 'bad' } }));
    await capture(client.get('/beta/deviceManagement/notARealCollection'));
    await capture(client.get('https://evil.example.com/beta/steal'));
    for (const fault of [{ errorRate: 1 }, { malformedJsonRate: 1 }, { connectionResetRate: 1 }, { timeoutRate: 1, hangMs: 1000 }]) {
      emulator.admin.setFaults(tenant, fault);
      await capture(client.get(collection));
    }
    emulator.admin.setFaults(tenant, undefined);
    expect(errors).toHaveLength(8);
    expect(tokens.length).toBeGreaterThan(0);
    expect(errors.map((error) => (error as GraphError).code)).toEqual([
      SafeErrorCode.GraphNotFound,
      SafeErrorCode.GraphBadRequest,
      SafeErrorCode.GraphNotFound,
      SafeErrorCode.GraphInvalidResponse,
      SafeErrorCode.GraphUnavailable,
      SafeErrorCode.GraphInvalidResponse,
      SafeErrorCode.GraphNetworkError,
      SafeErrorCode.GraphTimeout,
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(GraphError);
      const exposed = [String((error as Error).message), String((error as Error).stack), JSON.stringify(error), JSON.stringify((error as GraphError).toSafeError())].join('\n');
      for (const token of tokens) expect(exposed).not.toContain(token);
      expect(exposed).not.toContain(DEMO_GRAPH_APP.clientSecret);
      expect(exposed).not.toMatch(/Bearer|Authorization/i);
    }
  });

  it('fails safe on an unknown policy type without sending anything', async () => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: false });
    const client = track(factoryFor(emulator)).forTenant(tenant);
    await expect(listPolicies(client, 'printerDriverPolicy')).resolves.toEqual({ supported: false, type: 'printerDriverPolicy', reason: 'unsupported_policy_type' });
    await expect(readAllPolicySnapshots(client, 'printerDriverPolicy')).resolves.toMatchObject({ supported: false });
    expect(getPolicyTypeContract('printerDriverPolicy').supported).toBe(false);
    expect(emulator.journal.list({ tenant })).toHaveLength(0);
  });

  it('reads complete snapshots through $batch, retrying throttled sub-requests after their Retry-After', async () => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: { policiesPerType: 0, counts: { administrativeTemplate: 12 } } });
    emulator.admin.setThrottle(tenant, { requestsPerWindow: 15, writesPerWindow: 5, windowSeconds: 1 });
    const client = track(factoryFor(emulator, { maxAttempts: 6 })).forTenant(tenant);
    const result = await readAllPolicySnapshots(client, 'administrativeTemplate');
    if (!result.supported) throw new Error('unreachable');
    expect(result.results.every((item) => item.ok)).toBe(true);
    const expected = emulator.admin.listObjects(tenant, 'administrativeTemplate') ?? [];
    for (const item of result.results) {
      if (!item.ok) continue;
      const stored = expected.find((object) => object.id === item.id);
      expect(item.snapshot.object.assignments).toEqual(stored?.assignments);
    }
    const batchItems = emulator.journal.list({ tenant, kind: 'batch-item' });
    expect(batchItems.some((entry) => entry.status === 429)).toBe(true);
    expect(batchItems.filter((entry) => entry.status === 200)).toHaveLength(24);
  });

  it('reaches the emulator token endpoint only through the networkClient redirect', async () => {
    const tokens: string[] = [];
    const network = recordingNetworkClient(emulator.url, tokens);
    const response = await network.sendPostRequestAsync<{ error?: string }>(`https://login.microsoftonline.com/${newTenantId()}/oauth2/v2.0/token`, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEMO_GRAPH_APP.clientId, client_secret: DEMO_GRAPH_APP.clientSecret, scope: 'https://graph.microsoft.com/.default' }).toString(),
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_request');
  });
});

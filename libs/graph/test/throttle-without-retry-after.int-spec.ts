// Throttling without Retry-After against the Graph emulator (its `throttleWithoutRetryAfter` fault): the client
// backs off on its own, pauses the tenant, keeps retrying writes past GRAPH_MAX_ATTEMPTS, and — its
// throttle budget spent — postpones (TenantThrottledError) instead of failing.
import { DEMO_GRAPH_APP, SafeErrorCode } from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { createRedirectingNetworkClient, GraphClientFactory, readPolicySnapshots, TenantThrottledError, type GraphClientFactoryOptions } from '../src/index.js';

const collection = '/beta/deviceManagement/deviceConfigurations';
let tenantCounter = 0;
const newTenantId = () => `00000000-0000-4000-a000-${String(process.pid).padStart(6, '0')}${String((tenantCounter += 1)).padStart(6, '0')}`;

describe('throttling without Retry-After (Graph emulator)', () => {
  let emulator: RunningGraphEmulator;
  const factories: GraphClientFactory[] = [];
  const clientFor = (tenant: string, options: Partial<GraphClientFactoryOptions> = {}) => {
    const factory = new GraphClientFactory({
      credentials: { ...DEMO_GRAPH_APP },
      graphBaseUrl: emulator.url,
      networkClient: createRedirectingNetworkClient(emulator.url),
      requestTimeoutMs: 2000,
      pacing: false,
      maxAttempts: 2,
      // Production waits up to one 20 s window; the emulator's window here is 1 s.
      throttle: { baseDelayMs: 100, maxDelayMs: 1000, readBudgetMs: 15_000, writeBudgetMs: 15_000 },
      ...options,
    });
    factories.push(factory);
    return factory.forTenant(tenant);
  };
  /** A tenant whose every 429 comes without Retry-After. */
  const throttledTenant = (limits: { requestsPerWindow: number; writesPerWindow: number; windowSeconds: number }, objects = 0) => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: { policiesPerType: 0, counts: { deviceConfiguration: objects } } });
    emulator.admin.setThrottle(tenant, limits);
    emulator.admin.setFaults(tenant, { throttleWithoutRetryAfter: 1 });
    return tenant;
  };
  const throttledAnswers = (tenant: string, kind: 'graph' | 'batch-item') => emulator.journal.list({ tenant, kind }).filter((entry) => entry.status === 429);

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
  });
  afterAll(async () => {
    for (const factory of factories) factory.close();
    await emulator.close();
  });

  it('gets every read through by backing off on its own', async () => {
    const tenant = throttledTenant({ requestsPerWindow: 3, writesPerWindow: 1, windowSeconds: 1 });
    const client = clientFor(tenant, { maxConcurrentRequestsPerTenant: 2 });
    await Promise.all(Array.from({ length: 8 }, () => client.get(collection)));
    const rejections = throttledAnswers(tenant, 'graph');
    expect(rejections.length).toBeGreaterThan(0);
    expect(rejections.every((entry) => entry.retryAfterSeconds === undefined)).toBe(true);
    expect(emulator.journal.list({ tenant, kind: 'graph' }).filter((entry) => entry.status === 200)).toHaveLength(8);
  });

  it('never fails a create that Graph merely throttled, retrying past maxAttempts', async () => {
    const tenant = throttledTenant({ requestsPerWindow: 1000, writesPerWindow: 2, windowSeconds: 1 });
    const client = clientFor(tenant, { maxConcurrentRequestsPerTenant: 3 });
    const created = await Promise.all(
      Array.from({ length: 7 }, (_, index) =>
        client.request<{ id: string }>({ method: 'POST', path: collection, body: { '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', displayName: `Throttled ${index}` } }),
      ),
    );
    expect(created.map((response) => response.status)).toEqual(Array(7).fill(201));
    expect(emulator.admin.listObjects(tenant, 'deviceConfiguration')).toHaveLength(7);
    // More 429s than maxAttempts (2) would allow per request: 429s are bounded by the throttle budget.
    expect(throttledAnswers(tenant, 'graph').length).toBeGreaterThan(7);
  });

  it('retries throttled $batch sub-requests without Retry-After until every snapshot is read', async () => {
    const tenant = throttledTenant({ requestsPerWindow: 6, writesPerWindow: 1, windowSeconds: 1 }, 5);
    const ids = (emulator.admin.listObjects(tenant, 'deviceConfiguration') ?? []).map((object) => String(object.id));
    const read = await readPolicySnapshots(clientFor(tenant), 'deviceConfiguration', ids);
    if (!read.supported) throw new Error('unreachable');
    expect(read.results.every((result) => result.ok)).toBe(true);
    const rejections = throttledAnswers(tenant, 'batch-item');
    expect(rejections.length).toBeGreaterThan(0);
    expect(rejections.every((entry) => entry.retryAfterSeconds === undefined)).toBe(true);
  });

  it('postpones (TenantThrottledError, tenant_unavailable) once the throttle budget is spent', async () => {
    const tenant = throttledTenant({ requestsPerWindow: 1, writesPerWindow: 1, windowSeconds: 60 });
    const client = clientFor(tenant, { throttle: { baseDelayMs: 50, maxDelayMs: 200, readBudgetMs: 600, writeBudgetMs: 600 } });
    await client.get(collection);
    const started = Date.now();
    const attempt = client.get(collection);
    await expect(attempt).rejects.toBeInstanceOf(TenantThrottledError);
    await expect(attempt).rejects.toMatchObject({ code: SafeErrorCode.TenantUnavailable, retryAfterSeconds: 1 });
    // Bounded: gave up after the 600 ms budget (plus one round trip), having retried in between.
    expect(Date.now() - started).toBeLessThan(600 + 1500);
    expect(throttledAnswers(tenant, 'graph').length).toBeGreaterThan(2);
  });
});

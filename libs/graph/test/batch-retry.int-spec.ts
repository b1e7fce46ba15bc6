// $batch retry rounds against the Graph emulator: one object that keeps answering 5xx fails only its
// own sub-requests, never the whole call (the other objects' answers are kept). Only a call where no
// chunk gets through, or an open breaker, still fails as a whole.
import { DEMO_GRAPH_APP, SafeErrorCode } from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { createRedirectingNetworkClient, GraphClientFactory, GraphError, readPolicySnapshots, type BatchRequestItem, type GraphClientFactoryOptions } from '../src/index.js';

const collection = '/deviceManagement/deviceConfigurations';
let tenantCounter = 0;
const newTenantId = () => `00000000-0000-4000-9000-${String(process.pid).padStart(6, '0')}${String((tenantCounter += 1)).padStart(6, '0')}`;

describe('HttpGraphClient.batch retry rounds (Graph emulator)', () => {
  let emulator: RunningGraphEmulator;
  const factories: GraphClientFactory[] = [];
  const clientFor = (tenant: string, options: Partial<GraphClientFactoryOptions> = {}) => {
    const factory = new GraphClientFactory({
      credentials: { ...DEMO_GRAPH_APP },
      graphBaseUrl: emulator.url,
      networkClient: createRedirectingNetworkClient(emulator.url),
      requestTimeoutMs: 2000,
      backoff: { baseDelayMs: 10, maxDelayMs: 50 },
      throttle: { baseDelayMs: 10, maxDelayMs: 50 },
      pacing: false,
      maxAttempts: 3,
      ...options,
    });
    factories.push(factory);
    return factory.forTenant(tenant);
  };
  const seeded = (count: number) => {
    const tenant = newTenantId();
    emulator.admin.resetTenant(tenant, { seed: { policiesPerType: 0, counts: { deviceConfiguration: count } } });
    const ids = (emulator.admin.listObjects(tenant, 'deviceConfiguration') ?? []).map((object) => String(object.id));
    return { tenant, ids };
  };
  const reads = (ids: string[]): BatchRequestItem[] => ids.map((id) => ({ id, method: 'GET', url: `${collection}/${id}` }));

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
  });
  afterAll(async () => {
    for (const factory of factories) factory.close();
    await emulator.close();
  });

  it('turns a sub-request that answers 500 on every retry round into its own error; the others succeed', async () => {
    const { tenant, ids } = seeded(5);
    const broken = ids[2];
    emulator.admin.setFaults(tenant, { failIds: { [broken]: 500 } });
    const results = await clientFor(tenant).batch('beta', reads(ids));

    expect(results.map((result) => result.id)).toEqual(ids);
    expect(results.filter((result) => result.ok).map((result) => result.id)).toEqual(ids.filter((id) => id !== broken));
    const failed = results.find((result) => result.id === broken);
    if (!failed || failed.ok) throw new Error('expected the broken object to fail');
    expect(failed.error).toBeInstanceOf(GraphError);
    expect(failed.error.toSafeError()).toMatchObject({ code: SafeErrorCode.GraphUnavailable, context: { httpStatus: 500 } });
    // Retried (first round + 2 retry rounds of just that sub-request), each retry round sent once.
    const brokenReads = emulator.journal.list({ tenant, kind: 'batch-item' }).filter((entry) => entry.path.endsWith(broken));
    expect(brokenReads.map((entry) => entry.status)).toEqual([500, 500, 500]);
    expect(emulator.journal.list({ tenant, kind: 'graph' }).filter((entry) => entry.path.endsWith('/$batch'))).toHaveLength(3);
  });

  it('keeps the other chunks when a chunk made only of a broken object fails its first round', async () => {
    const { tenant, ids } = seeded(21);
    const broken = ids[20]; // the 21st request: alone in the second $batch of 20
    emulator.admin.setFaults(tenant, { failIds: { [broken]: 500 } });
    const results = await clientFor(tenant).batch('beta', reads(ids));
    expect(results.filter((result) => result.ok)).toHaveLength(20);
    expect(results[20]).toMatchObject({ id: broken, ok: false, error: expect.any(GraphError) });
  });

  it('captures every other policy of a read when one policy keeps failing (readPolicySnapshots)', async () => {
    const { tenant, ids } = seeded(8);
    emulator.admin.setFaults(tenant, { failIds: { [ids[5]]: 503 } });
    const read = await readPolicySnapshots(clientFor(tenant), 'deviceConfiguration', ids);
    if (!read.supported) throw new Error('unreachable');
    expect(read.results.map((result) => [result.id, result.ok])).toEqual(ids.map((id) => [id, id !== ids[5]]));
  });

  it('still fails the whole call when no chunk gets through (the tenant is not answering)', async () => {
    const { tenant, ids } = seeded(3);
    emulator.admin.setFaults(tenant, { errorRate: 1 });
    await expect(clientFor(tenant, { breaker: { volumeThreshold: 100 } }).batch('beta', reads(ids))).rejects.toMatchObject({ code: SafeErrorCode.GraphUnavailable });
  });
});

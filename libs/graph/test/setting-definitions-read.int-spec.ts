// Settings catalog definitions read with the settings (`$expand=settingDefinitions`) against the Graph emulator:
// asked for, they come back apart from the snapshots (each once, from every page of settings) and the snapshots
// are exactly those of a read without them; not asked for, nothing is expanded.
import { DEMO_GRAPH_APP } from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { createRedirectingNetworkClient, GraphClientFactory, readPolicySnapshots, type ReadSnapshotsResult } from '../src/index.js';

const TENANT = '00000000-0000-4000-9000-00000000d3f5';

/** Every `settingDefinitionId` in a value, at any depth. */
function definitionIdsIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) definitionIdsIn(item, into);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'settingDefinitionId' && typeof child === 'string') into.add(child);
      else definitionIdsIn(child, into);
    }
  }
  return into;
}

describe('readPolicySnapshots with the settings catalog definitions (Graph emulator)', () => {
  let emulator: RunningGraphEmulator;
  let factory: GraphClientFactory;
  let ids: string[];

  beforeAll(async () => {
    // Two settings a page: a policy's settings span several pages, each answered with its own definitions.
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false, pageSize: 2 });
    emulator.admin.resetTenant(TENANT, { seed: { policiesPerType: 0, counts: { settingsCatalogPolicy: 4 } } });
    ids = (emulator.admin.listObjects(TENANT, 'settingsCatalogPolicy') ?? []).map((object) => String(object.id));
    factory = new GraphClientFactory({
      credentials: { ...DEMO_GRAPH_APP },
      graphBaseUrl: emulator.url,
      networkClient: createRedirectingNetworkClient(emulator.url),
      requestTimeoutMs: 5000,
      pacing: false,
    });
  });
  afterAll(async () => {
    factory.close();
    await emulator.close();
  });

  const read = async (definitions: boolean) => {
    const since = emulator.journal.lastSeq;
    const result = await readPolicySnapshots(factory.forTenant(TENANT), 'settingsCatalogPolicy', ids, { definitions });
    if (!result.supported) throw new Error('settingsCatalogPolicy is supported');
    const requests = emulator.journal.list({ tenant: TENANT, sinceSeq: since })
      // Graph requests (a $batch's items, or alone), not the $batch envelopes nor token requests.
      .filter((entry) => entry.kind === 'batch-item' || (entry.kind === 'graph' && !entry.path.endsWith('/$batch')));
    return { result: result as Extract<ReadSnapshotsResult, { supported: true }>, requests };
  };

  it('hands back every definition the settings use, once each, and snapshots identical to a read without them', async () => {
    const plain = await read(false);
    const withDefinitions = await read(true);

    const snapshots = (outcome: typeof plain) => outcome.result.results.map((result) => (result.ok ? result.snapshot : result.error.message));
    expect(snapshots(withDefinitions)).toEqual(snapshots(plain));
    expect(JSON.stringify(snapshots(withDefinitions))).not.toContain('settingDefinitions');
    const settings = plain.result.results.map((result) => (result.ok ? (result.snapshot.object.settings as unknown[]).length : 0));
    expect(Math.max(...settings)).toBeGreaterThan(2); // the settings of at least one policy came in several pages

    const used = definitionIdsIn(snapshots(plain));
    const catalogue = new Set((emulator.admin.listObjects(TENANT, 'settingDefinition') ?? []).map((definition) => String(definition.id)));
    const returned = (withDefinitions.result.definitions ?? []).map((definition) => String(definition.id));
    expect(returned.length).toBeGreaterThan(0);
    expect(new Set(returned).size).toBe(returned.length);
    expect(returned.sort()).toEqual([...used].filter((id) => catalogue.has(id)).sort());
    for (const definition of withDefinitions.result.definitions ?? []) expect(definition).toMatchObject({ id: expect.any(String), '@odata.type': expect.stringMatching(/^#microsoft\.graph\.deviceManagementConfiguration\w*Definition$/) });

    // The same number of requests either way: the definitions came with the settings pages.
    expect(withDefinitions.requests).toHaveLength(plain.requests.length);
    const settingsReads = (outcome: typeof plain) => outcome.requests.filter((entry) => /\/configurationPolicies\/[^/]+\/settings$/.test(entry.path));
    expect(settingsReads(withDefinitions).length).toBeGreaterThan(ids.length);
    for (const entry of settingsReads(withDefinitions)) expect(decodeURIComponent(entry.query)).toContain('$expand=settingDefinitions');
    expect(plain.result.definitions).toBeUndefined();
    for (const entry of settingsReads(plain)) expect(decodeURIComponent(entry.query)).not.toContain('settingDefinitions');
    expect(withDefinitions.requests.filter((entry) => entry.path.includes('configurationSettings'))).toEqual([]);
  });
});

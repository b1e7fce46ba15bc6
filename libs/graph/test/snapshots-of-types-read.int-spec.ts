// Objects of several types read at once (`readSnapshotsOfTypes`) against the Graph emulator: each type's snapshots are
// exactly those of its own read, and the types' sub-requests share `$batch` calls, one series per API version.
import { DEMO_GRAPH_APP } from '@policyvault/contracts';
import { startGraphEmulator, type JournalEntry, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { createRedirectingNetworkClient, GraphClientFactory, readPolicySnapshots, readSnapshotsOfTypes, type ReadSnapshotsResult } from '../src/index.js';

const TENANT = '00000000-0000-4000-9000-00000000d3f6';
// Three beta types with sub-resources read by path (assignments, settings), and a v1.0 type added apart (not seeded).
const COUNTS = { deviceConfiguration: 3, settingsCatalogPolicy: 2, compliancePolicy: 2 };
const V1_TYPE = 'namedLocation';

describe('readSnapshotsOfTypes (Graph emulator)', () => {
  let emulator: RunningGraphEmulator;
  let factory: GraphClientFactory;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(TENANT, { seed: { policiesPerType: 0, counts: COUNTS } });
    for (const name of ['Head office', 'Branch']) {
      emulator.admin.putObject(TENANT, V1_TYPE, { '@odata.type': '#microsoft.graph.ipNamedLocation', displayName: name, isTrusted: true, ipRanges: [] });
    }
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

  const idsOf = (type: string) => (emulator.admin.listObjects(TENANT, type) ?? []).map((object) => String(object.id));
  const journalSince = (since: number): JournalEntry[] => emulator.journal.list({ tenant: TENANT, sinceSeq: since });
  const envelopes = (entries: JournalEntry[]) => entries.filter((entry) => entry.kind === 'graph' && entry.path.endsWith('/$batch'));
  const items = (entries: JournalEntry[]) => entries.filter((entry) => entry.kind === 'batch-item');
  const snapshotsOf = (result: ReadSnapshotsResult) => (result.supported ? result.results.map((entry) => (entry.ok ? entry.snapshot : entry.error.code)) : result);

  it('gives each type the snapshots of its own read, in fewer $batch calls, and an unknown type its own answer', async () => {
    const groups = [...Object.keys(COUNTS), V1_TYPE].map((type) => ({ type, objects: idsOf(type) }));
    expect(groups.every((group) => group.objects.length > 0)).toBe(true);

    let since = emulator.journal.lastSeq;
    const alone: ReadSnapshotsResult[] = [];
    for (const group of groups) alone.push(await readPolicySnapshots(factory.forTenant(TENANT), group.type, group.objects));
    const aloneJournal = journalSince(since);

    since = emulator.journal.lastSeq;
    const together = await readSnapshotsOfTypes(factory.forTenant(TENANT), [...groups, { type: 'notAPolicyType', objects: ['x'] }]);
    const togetherJournal = journalSince(since);

    expect(together).toHaveLength(groups.length + 1);
    expect(together.slice(0, groups.length).map(snapshotsOf)).toEqual(alone.map(snapshotsOf));
    for (const result of together.slice(0, groups.length)) {
      if (!result.supported) throw new Error('every seeded type is supported');
      expect(result.results.every((entry) => entry.ok)).toBe(true);
    }
    expect(together[groups.length]).toMatchObject({ supported: false, type: 'notAPolicyType' });

    // The same sub-requests, in as few calls as they fill: one per type alone, one per API version together.
    const subRequests = items(togetherJournal).length;
    expect(subRequests).toBe(items(aloneJournal).length);
    expect(subRequests).toBeLessThanOrEqual(20 + 20);
    expect(envelopes(aloneJournal)).toHaveLength(groups.length);
    expect(envelopes(togetherJournal).map((entry) => entry.path).sort()).toEqual(['/beta/$batch', '/v1.0/$batch']);
  });
});

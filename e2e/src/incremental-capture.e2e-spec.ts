// Incremental capture (issue 17, target 3): a backup of an unchanged tenant lists and reuses stored versions;
// a changed policy, or a changed assignment (which moves no stamp: the listing expands assignments), is read
// again; the periodic full read catches what a list entry does not show; a type that opts out is always read;
// the backup content equals a full capture's. Requests counted in the Graph emulator's journal.
import { RunStatus, RunType, type RunItemView } from '@policyvault/contracts';
import { POLICY_TYPE_CONTRACTS, listPathsFor } from '@policyvault/graph';
import { startGraphEmulator, type JournalEntry, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, gatewayRuns, graphEmulatorEnv, startStack, type GatewayRuns, type ServiceProcess, type Stack } from '@policyvault/testing';

const SEEDED: Record<string, number> = {
  deviceConfiguration: 6,
  settingsCatalogPolicy: 5,
  compliancePolicy: 4,
  administrativeTemplate: 3,
  endpointSecurityIntent: 3,
  windowsPlatformScript: 3,
  autopilotProfile: 3,
  appProtectionPolicy: 2,
  assignmentFilter: 0,
  // Foundations, backed up with includeFoundations: scope tags opt out (no lastModifiedDateTime).
  scopeTag: 2,
};
const OPTED_OUT = Object.values(POLICY_TYPE_CONTRACTS)
  .filter((contract) => contract.reuseUnchangedListing === false)
  .map((contract) => contract.type);

/** Every collection a type is listed from, with the version: `/beta/deviceManagement/deviceConfigurations`. */
const collections = Object.values(POLICY_TYPE_CONTRACTS).flatMap((contract) =>
  listPathsFor(contract).map((collection) => ({ type: contract.type, path: `/${contract.apiVersion}${collection.path}` })),
);
/** Listings and reads of referenced names (read in every backup, full or incremental: they follow renames). */
const REFERENCE_NAME_PATH = /^\/(v1\.0\/groups\/[^/]+|beta\/deviceManagement\/(roleScopeTags|assignmentFilters|notificationMessageTemplates))$/;

/** What the emulator's throttle counts: `$batch` items one each, plain requests, not tokens or envelopes. */
const counted = (entries: JournalEntry[]) => entries.filter((entry) => entry.kind === 'batch-item' || (entry.kind === 'graph' && !entry.path.endsWith('/$batch')));

/** The type whose object or relation a request reads (undefined for a listing or a reference name). */
function objectReadOf(entry: JournalEntry): string | undefined {
  if (collections.some((collection) => collection.path === entry.path) || REFERENCE_NAME_PATH.test(entry.path)) return undefined;
  return collections.find((collection) => entry.path.startsWith(`${collection.path}/`))?.type ?? `unknown:${entry.path}`;
}

interface BackupItemRow {
  policyId: string;
  versionId: string;
  contentHash: string;
  referenceNames: unknown;
  isFoundation: boolean;
}

describe('incremental capture: an unchanged tenant is listed, not read again', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let runs: GatewayRuns;
  let worker: ServiceProcess;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: SEEDED } });
    stack = await startStack({ services: ['run-service', 'gateway'], env: graphEmulatorEnv(emulator.url) });
    worker = await stack.start('capture-worker');
    runs = gatewayRuns(stack.gatewayUrl, await stack.token('operator@contoso.test'));
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await emulator?.close();
  });

  /** Restarts the capture-worker with other settings (the periodic full read). */
  const restartWorker = async (env: Record<string, string>) => {
    await worker.stop();
    Object.assign(stack.env, env);
    worker = await stack.start('capture-worker');
  };

  /** One backup of every type, foundations included: its items, its set's rows and the Graph requests it sent. */
  const backup = async (name: string) => {
    const since = emulator.journal.lastSeq;
    const { httpStatus, reply } = await runs.start(CONTOSO.id, { type: RunType.BackupSetCreate, target: { name }, scope: { includeFoundations: true } });
    expect(httpStatus).toBe(202);
    const run = await runs.waitUntilTerminal(CONTOSO.id, reply.run.id);
    expect(run.status).toBe(RunStatus.Succeeded);
    const items = (await runs.items(CONTOSO.id, run.id)).filter((item) => item.itemKey.startsWith('policy:'));
    const rows = await setRows(String(run.summary?.backupSetId));
    const requests = counted(emulator.journal.list({ sinceSeq: since, tenant: CONTOSO.directoryId }));
    return { run, items, rows, requests, byPolicy: new Map(items.map((item) => [String(item.result?.policyId), item])) };
  };

  const setRows = async (backupSetId: string): Promise<BackupItemRow[]> =>
    (
      await stack.database.pool.query<BackupItemRow>(
        `SELECT i.policy_id AS "policyId", i.policy_version_id AS "versionId", v.content_hash AS "contentHash", i.reference_names AS "referenceNames",
                i.is_foundation AS "isFoundation"
         FROM capture.backup_items i JOIN capture.policy_versions v ON v.id = i.policy_version_id
         WHERE i.backup_set_id = $1 ORDER BY i.policy_id`,
        [backupSetId],
      )
    ).rows;

  const policyOf = async (policyType: string, index = 0) =>
    (
      await stack.database.pool.query<{ id: string; graphId: string }>(
        `SELECT id, graph_id AS "graphId" FROM capture.policies WHERE tenant_id = $1 AND policy_type = $2 ORDER BY graph_id OFFSET $3 LIMIT 1`,
        [CONTOSO.id, policyType, index],
      )
    ).rows[0];

  const outcomes = (items: RunItemView[]) => items.reduce<Record<string, number>>((counts, item) => ({ ...counts, [item.outcome ?? '']: (counts[item.outcome ?? ''] ?? 0) + 1 }), {});

  let first: Awaited<ReturnType<typeof backup>>;

  it('reuses every stored version of an unchanged tenant and reads only the types that opt out', async () => {
    first = await backup('first (complete reads)');
    expect(first.items.length).toBeGreaterThanOrEqual(29);
    expect(first.requests.filter((entry) => objectReadOf(entry) !== undefined).length).toBeGreaterThan(first.items.length / 2);

    const second = await backup('second (unchanged tenant)');
    expect(outcomes(second.items)).toEqual({ unchanged: first.items.length });
    // Same versions, content hashes, reference names and foundation flags as the complete reads stored.
    expect(second.rows).toEqual(first.rows);
    // Objects and relations are read only for the types that opt out.
    const readTypes = new Set(second.requests.map(objectReadOf).filter((type) => type !== undefined));
    expect(OPTED_OUT).toEqual(['scopeTag']);
    expect([...readTypes].sort()).toEqual(['scopeTag']);
    // What a reuse type costs is its listing: one request per collection page.
    const reuseTypeRequests = second.requests.filter((entry) => {
      const type = objectReadOf(entry);
      return type !== undefined && !OPTED_OUT.includes(type);
    });
    expect(reuseTypeRequests).toEqual([]);
    const objectReads = (requests: JournalEntry[]) => requests.filter((entry) => objectReadOf(entry) !== undefined).length;
    expect(objectReads(second.requests)).toBeLessThan(objectReads(first.requests) / 2);
  });

  it('reads a changed policy again, and a policy whose assignments changed without its stamp moving', async () => {
    const changed = await policyOf('deviceConfiguration', 0);
    emulator.admin.patchObject(CONTOSO.directoryId, 'deviceConfiguration', changed.graphId, { description: 'changed in the portal' });
    // `/assign` (and deleting an Autopilot assignment) moves no lastModifiedDateTime, in the emulator as in Graph:
    // replace the assignments in the emulator's store with every stamp kept.
    const autopilot = await policyOf('autopilotProfile', 0);
    const before = emulator.admin.getObject(CONTOSO.directoryId, 'autopilotProfile', autopilot.graphId)!;
    const assignments = [{ id: `${autopilot.graphId}_silent`, target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }];
    emulator.admin.putObject(CONTOSO.directoryId, 'autopilotProfile', { ...before, assignments });
    expect(emulator.admin.getObject(CONTOSO.directoryId, 'autopilotProfile', autopilot.graphId)!.lastModifiedDateTime).toBe(before.lastModifiedDateTime);
    const assigned = await policyOf('settingsCatalogPolicy', 0);
    const catalog = emulator.admin.getObject(CONTOSO.directoryId, 'settingsCatalogPolicy', assigned.graphId)!;
    emulator.admin.putObject(CONTOSO.directoryId, 'settingsCatalogPolicy', { ...catalog, assignments: [] });

    const third = await backup('third (three changes)');
    expect(third.byPolicy.get(changed.id)).toMatchObject({ outcome: 'captured' });
    expect(third.byPolicy.get(autopilot.id)).toMatchObject({ outcome: 'captured' });
    expect(third.byPolicy.get(assigned.id)).toMatchObject({ outcome: 'captured' });
    expect(outcomes(third.items)).toEqual({ unchanged: first.items.length - 3, captured: 3 });
    const stored = await stack.database.pool.query<{ snapshot: Record<string, unknown> }>('SELECT snapshot FROM capture.policy_versions WHERE id = $1', [
      third.byPolicy.get(autopilot.id)!.result?.versionId,
    ]);
    expect(stored.rows[0].snapshot.assignments).toEqual(assignments);
  });

  it('a change no list entry shows waits for the periodic full read, which finds it; its content equals a full capture', async () => {
    // A property the listing leaves out (script content: read by id) changed without moving the stamp.
    const silent = await policyOf('windowsPlatformScript', 1);
    const before = emulator.admin.getObject(CONTOSO.directoryId, 'windowsPlatformScript', silent.graphId)!;
    emulator.admin.putObject(CONTOSO.directoryId, 'windowsPlatformScript', { ...before, scriptContent: Buffer.from('Write-Output "changed silently"').toString('base64') });
    const missed = await backup('fourth (a silent change)');
    expect(missed.byPolicy.get(silent.id)).toMatchObject({ outcome: 'unchanged' });

    // Every run reads completely: the change is found, and the content is a full capture's.
    await restartWorker({ CAPTURE_FULL_READ_EVERY_RUNS: '1' });
    const full = await backup('fifth (complete reads)');
    expect(full.byPolicy.get(silent.id)).toMatchObject({ outcome: 'captured' });
    expect(full.requests.filter((entry) => objectReadOf(entry) !== undefined).length).toBeGreaterThan(full.items.length / 2);

    // Back to incremental: the next backup reuses what the complete reads stored, item for item.
    await restartWorker({ CAPTURE_FULL_READ_EVERY_RUNS: '7' });
    const incremental = await backup('sixth (unchanged since)');
    expect(outcomes(incremental.items)).toEqual({ unchanged: full.items.length });
    expect(incremental.rows).toEqual(full.rows);

    // Every third run reads completely (the setting's "every N-th run").
    await restartWorker({ CAPTURE_FULL_READ_EVERY_RUNS: '3' });
    const reads = [];
    for (const name of ['seventh', 'eighth', 'ninth']) {
      const run = await backup(name);
      reads.push(run.requests.some((entry) => { const type = objectReadOf(entry); return type !== undefined && !OPTED_OUT.includes(type); }));
      expect(run.rows).toEqual(full.rows);
    }
    // The sixth run reused once since the fifth's complete reads: the seventh reuses, the eighth reads completely.
    expect(reads).toEqual([false, true, false]);
  }, 120_000);
});

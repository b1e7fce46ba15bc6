// Secret values end to end (issue 11, item 9): an encrypted OMA-URI value is captured through
// getOmaSettingPlainTextValue and stored only as an envelope (no plaintext in any table or service log),
// shown as { secret: true } / "secret value, changed", compared with the live value in previews without
// writing, and brought back by a restore into a tenant where the profile was deleted.
// Needs an emulator with getOmaSettingPlainTextValue and masked reads (GRAPH-WIRE.md section 5).
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEMO_GRAPH_APP, RunRpc, RunStatus, RunType, type RestorePreviewItemView, type RestorePreviewPage, type StartRunReply } from '@policyvault/contracts';
import { GraphClientFactory, createRedirectingNetworkClient } from '@policyvault/graph';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, connectNatsRpc, gatewayRuns, graphEmulatorEnv, startStack, type GatewayRuns, type NatsRpc, type Stack } from '@policyvault/testing';

type GraphObject = Record<string, unknown>;

const CANARY = `pv-secret-canary-${randomUUID()}`;
const CHANGED_CANARY = `pv-secret-changed-${randomUUID()}`;
const OMA_URI = './Vendor/MSFT/WiFi/Profile/Corp/WlanXml';
const OWNER = { userId: '5d1b7a10-0000-4000-8000-000000000001', email: 'owner@contoso.test' };
const plainSetting = { '@odata.type': '#microsoft.graph.omaSettingInteger', displayName: 'Plain', omaUri: './Vendor/MSFT/Policy/Config/Plain', value: 3 };
const secretSetting = (value: string) => ({ '@odata.type': '#microsoft.graph.omaSettingString', displayName: 'Corp Wi-Fi key', omaUri: OMA_URI, isEncrypted: true, value });

describe('secret values: captured encrypted, masked in views, restored in plaintext to Graph', () => {
  let emulator: RunningGraphEmulator;
  let factory: GraphClientFactory;
  let stack: Stack;
  let runs: GatewayRuns;
  let rpc: NatsRpc;
  let token: string;
  let backupSetId: string;
  let profileId: string;

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${stack.gatewayUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };
  const profiles = () => emulator.admin.listObjects(CONTOSO.directoryId, 'deviceConfiguration')!;
  const preview = async () => {
    const { reply } = await runs.start(CONTOSO.id, { type: RunType.RestorePreview, target: { backupSetId }, scope: {} });
    const run = await runs.waitUntilTerminal(CONTOSO.id, reply.run.id);
    const page = await api<RestorePreviewPage>(`/api/tenants/${CONTOSO.id}/runs/${run.id}/preview`);
    return { run, items: page.items as RestorePreviewItemView[] };
  };
  /** Every row of every table of the system, as text, holding `text`. */
  const rowsContaining = async (text: string) => {
    const { rows: tables } = await stack.database.pool.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    let found = 0;
    for (const { schema, name } of tables) {
      const { rows } = await stack.database.pool.query<{ count: string }>(`SELECT count(*) AS count FROM "${schema}"."${name}" AS row WHERE row::text LIKE $1`, [`%${text}%`]);
      found += Number(rows[0].count);
    }
    return { tables: tables.length, found };
  };
  const logsContaining = (text: string) => stack.services.filter((service) => readFileSync(service.logFile, 'utf8').includes(text)).map((service) => service.name);
  const plaintextInGraph = async (objectId: string) => {
    const client = factory.forTenant(CONTOSO.directoryId);
    const object = await client.get<GraphObject>(`/beta/deviceManagement/deviceConfigurations/${objectId}`);
    const setting = (object.omaSettings as GraphObject[]).find((entry) => entry.omaUri === OMA_URI)!;
    expect(setting).toMatchObject({ isEncrypted: true, value: '****', secretReferenceValueId: expect.any(String) });
    const plain = await client.get<{ value: string }>(`/beta/deviceManagement/deviceConfigurations/${objectId}/getOmaSettingPlainTextValue(secretReferenceValueId='${String(setting.secretReferenceValueId)}')`);
    return plain.value;
  };

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: {} } });
    profileId = String(
      emulator.admin.putObject(CONTOSO.directoryId, 'deviceConfiguration', {
        '@odata.type': '#microsoft.graph.windows10CustomConfiguration',
        displayName: 'Corp Wi-Fi (custom)',
        description: 'OMA-URI profile with a secret',
        omaSettings: [plainSetting, secretSetting(CANARY)],
      })!.id,
    );
    factory = new GraphClientFactory({ credentials: { ...DEMO_GRAPH_APP }, graphBaseUrl: emulator.url, networkClient: createRedirectingNetworkClient(emulator.url), pacing: false });
    stack = await startStack({
      services: ['run-service', 'capture-worker', 'restore-worker', 'gateway'],
      // Real keys (not the development key): an older one still listed, a newer one active.
      env: {
        ...graphEmulatorEnv(emulator.url),
        SECRET_ENCRYPTION_KEYS: `e2e-old:${randomBytes(32).toString('base64')},e2e-new:${randomBytes(32).toString('base64')}`,
        SECRET_ENCRYPTION_ACTIVE_KEY: 'e2e-new',
      },
    });
    token = await stack.token('owner@contoso.test');
    runs = gatewayRuns(stack.gatewayUrl, token);
    rpc = await connectNatsRpc(stack.nats.namespace);
  }, 180_000);

  afterAll(async () => {
    await rpc?.close();
    await stack?.close();
    factory?.close();
    await emulator?.close();
  });

  it('capture stores the value only encrypted; the gateway shows { secret: true }', async () => {
    expect(await plaintextInGraph(profileId)).toBe(CANARY);
    const { reply } = await runs.start(CONTOSO.id, { type: RunType.BackupSetCreate, target: { name: 'With a secret' }, scope: { policyTypes: ['deviceConfiguration'] } });
    const run = await runs.waitUntilTerminal(CONTOSO.id, reply.run.id);
    expect(run).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 1, succeeded: 1 } });
    backupSetId = String(run.summary?.backupSetId);

    const { rows } = await stack.database.pool.query<{ snapshot: GraphObject }>('SELECT snapshot FROM capture.policy_versions');
    expect(rows).toHaveLength(1);
    const stored = (rows[0].snapshot.omaSettings as GraphObject[])[1];
    expect(stored).toEqual({ ...secretSetting(''), value: { policyVaultSecret: expect.objectContaining({ version: 1, algorithm: 'AES-256-GCM', keyId: 'e2e-new' }) } });
    const scan = await rowsContaining(CANARY);
    expect(scan.tables).toBeGreaterThan(10);
    expect(scan.found).toBe(0);
    // The scan does find what is there: the profile's name.
    expect((await rowsContaining('Corp Wi-Fi (custom)')).found).toBeGreaterThan(0);

    const items = await api<{ items: Array<{ policyVersionId: string }> }>(`/api/tenants/${CONTOSO.id}/backup-sets/${backupSetId}/items`);
    const version = await api<{ snapshot: GraphObject }>(`/api/tenants/${CONTOSO.id}/policy-versions/${items.items[0].policyVersionId}`);
    expect((version.snapshot.omaSettings as GraphObject[])[1]).toEqual({ ...secretSetting(''), value: { secret: true } });
    expect(JSON.stringify(version)).not.toContain('policyVaultSecret');
  });

  it('preview compares with the live value without writing: unchanged → no_change, changed → "secret value, changed", masked request', async () => {
    const before = emulator.journal.lastSeq;
    const same = await preview();
    expect(same.run).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 1, succeeded: 1 } });
    expect(same.items).toEqual([expect.objectContaining({ action: 'no_change', differences: [], request: null })]);
    const reads = emulator.journal.list({ sinceSeq: before }).filter((entry) => entry.path.includes('getOmaSettingPlainTextValue'));
    expect(reads.length).toBeGreaterThan(0);

    emulator.admin.patchObject(CONTOSO.directoryId, 'deviceConfiguration', profileId, { omaSettings: [plainSetting, secretSetting(CHANGED_CANARY)] });
    const changed = await preview();
    expect(changed.items).toHaveLength(1);
    const [item] = changed.items;
    expect(item).toMatchObject({ action: 'update', differences: [{ path: `omaSettings[${OMA_URI}].value`, live: 'secret value', snapshot: 'secret value, changed' }] });
    expect((item.request!.body.omaSettings as GraphObject[])[1]).toEqual({ ...secretSetting(''), value: { secret: true } });
    expect(emulator.journal.writes({ sinceSeq: before })).toEqual([]);
    expect(await plaintextInGraph(profileId)).toBe(CHANGED_CANARY);
  });

  it('restore into a tenant where the profile was deleted brings the plaintext back; nothing of it in any table or service log', async () => {
    emulator.admin.deleteObject(CONTOSO.directoryId, 'deviceConfiguration', profileId);
    const confirmed = await preview();
    expect(confirmed.items).toEqual([expect.objectContaining({ action: 'create', request: expect.objectContaining({ method: 'POST' }) })]);
    expect((confirmed.items[0].request!.body.omaSettings as GraphObject[])[1]).toEqual({ ...secretSetting(''), value: { secret: true } });

    const before = emulator.journal.lastSeq;
    const reply = await rpc.request<StartRunReply>(RunRpc.start, {
      tenantId: CONTOSO.id,
      tenantDirectoryId: CONTOSO.directoryId,
      tenantDisplayName: CONTOSO.displayName,
      type: RunType.RestoreExecute,
      target: { backupSetId },
      scope: {},
      initiator: OWNER,
      confirmation: { previewRunId: confirmed.run.id },
    });
    const run = await runs.waitUntilTerminal(CONTOSO.id, reply.run.id);
    expect(run).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 1, succeeded: 1 } });
    // The emulator refuses secretReferenceValueId in a write: one POST means it was left out.
    expect(emulator.journal.writes({ sinceSeq: before }).map((write) => `${write.method} ${write.path} ${write.status}`)).toEqual(['POST /beta/deviceManagement/deviceConfigurations 201']);
    const [recreated] = profiles();
    expect(recreated.id).not.toBe(profileId);
    expect(await plaintextInGraph(String(recreated.id))).toBe(CANARY);

    expect(logsContaining('"service":"capture-worker"')).toEqual(['capture-worker-1']);
    for (const canary of [CANARY, CHANGED_CANARY]) {
      expect((await rowsContaining(canary)).found).toBe(0);
      expect(logsContaining(canary)).toEqual([]);
    }
  });
});

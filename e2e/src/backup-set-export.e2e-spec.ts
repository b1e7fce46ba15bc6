// Backup set export (issue 15 item 3) through the real stack and the emulator: a set captured with a secret
// OMA-URI value is downloaded as a zip in both secret modes, unzipped here and checked: IntuneManagement's
// layout (read back by the emulator's loader of real IntuneManagement exports), the manifest's hashes against
// the backup store, `omit` holding no secret at all and `encrypted` only the stored envelope, never the
// plaintext; and the answers for an unknown set, a set still capturing, a bad option and another tenant.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { RunStatus, RunType } from '@policyvault/contracts';
import { loadExportDirectory, startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, gatewayRuns, graphEmulatorEnv, startStack, type Stack } from '@policyvault/testing';

type GraphObject = Record<string, unknown>;

const CANARY = `pv-export-canary-${randomUUID()}`;
const OMA_URI = './Vendor/MSFT/WiFi/Profile/Corp/WlanXml';
const GROUP_ID = '7d0c6b8e-0000-4000-8000-00000000e4a1';
const PROFILE_NAME = 'Corp Wi-Fi: custom';
const secretSetting = (value: string) => ({ '@odata.type': '#microsoft.graph.omaSettingString', displayName: 'Corp Wi-Fi key', omaUri: OMA_URI, isEncrypted: true, value });

interface Manifest {
  backupSet: { id: string; name: string; status: string };
  tenant: { id: string };
  exportedAt: string;
  secrets: { mode: string; values: Array<{ path: string; jsonPath: string }> };
  types: Record<string, { count: number }>;
  files: Array<{ path: string; policyType: string; graphId: string; displayName: string; policyVersionId: string; contentHash: string }>;
}

describe('backup set export: a zip in IntuneManagement layout with a manifest, secrets left out or encrypted', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let token: string;
  let backupSetId: string;
  const graphIds: Record<string, string> = {};

  const get = (path: string, bearer = token) => fetch(`${stack.gatewayUrl}/api/tenants/${CONTOSO.id}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
  const download = async (secrets?: string) => {
    const response = await get(`/backup-sets/${backupSetId}/export${secrets ? `?secrets=${secrets}` : ''}`);
    expect(response.status).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const files = Object.fromEntries(Object.entries(unzipSync(bytes)).map(([path, content]) => [path, strFromU8(content)]));
    return { response, files, manifest: JSON.parse(files['manifest.json']) as Manifest };
  };
  const json = (text: string) => JSON.parse(text) as GraphObject;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: {} } });
    const put = (type: string, object: GraphObject) => String(emulator.admin.putObject(CONTOSO.directoryId, type, object)!.id);
    graphIds.secret = put('deviceConfiguration', {
      '@odata.type': '#microsoft.graph.windows10CustomConfiguration',
      displayName: PROFILE_NAME,
      omaSettings: [secretSetting(CANARY)],
      assignments: [{ id: 'a1', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: GROUP_ID } }],
    });
    // Same name, other case and no colon once made safe: the second gets its graph id appended.
    graphIds.twin = put('deviceConfiguration', { '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', displayName: 'CORP Wi-Fi custom' });
    graphIds.ring = put('deviceConfiguration', { '@odata.type': '#microsoft.graph.windowsUpdateForBusinessConfiguration', displayName: 'Ring 1' });
    stack = await startStack({ services: ['run-service', 'capture-worker', 'gateway'], env: graphEmulatorEnv(emulator.url) });
    token = await stack.token('reader@contoso.test');
    const runs = gatewayRuns(stack.gatewayUrl, await stack.token('operator@contoso.test'));
    const { reply } = await runs.start(CONTOSO.id, { type: RunType.BackupSetCreate, target: { name: 'Nightly: before the change' }, scope: { policyTypes: ['deviceConfiguration'] } });
    const run = await runs.waitUntilTerminal(CONTOSO.id, reply.run.id);
    expect(run).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 3, succeeded: 3 } });
    backupSetId = String(run.summary?.backupSetId);
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await emulator?.close();
  });

  it('omit (the default): one file per item in its folder, the manifest matching the store, no secret in any form', async () => {
    const { response, files, manifest } = await download();
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="Nightly before the change-\d{4}-\d{2}-\d{2}\.zip"$/);
    // The two names collide once made safe (no colon, any case): whichever came second carries its graph id.
    const pathOf = (graphId: string) => manifest.files.find((file) => file.graphId === graphId)?.path;
    const secretFile = pathOf(graphIds.secret)!;
    expect([secretFile, pathOf(graphIds.twin)]).toEqual(
      secretFile.endsWith(`_${graphIds.secret}.json`)
        ? [`DeviceConfiguration/Corp Wi-Fi custom_${graphIds.secret}.json`, 'DeviceConfiguration/CORP Wi-Fi custom.json']
        : ['DeviceConfiguration/Corp Wi-Fi custom.json', `DeviceConfiguration/CORP Wi-Fi custom_${graphIds.twin}.json`],
    );
    expect(Object.keys(files).sort()).toEqual([secretFile, pathOf(graphIds.twin), 'UpdatePolicies/Ring 1.json', 'manifest.json'].sort());

    const profile = json(files[secretFile]);
    expect(profile).toMatchObject({
      id: graphIds.secret,
      displayName: PROFILE_NAME,
      omaSettings: [{ ...secretSetting(''), value: { policyVaultSecretOmitted: true } }],
      assignments: [{ target: { groupId: GROUP_ID } }],
    });
    expect(manifest).toMatchObject({
      backupSet: { id: backupSetId, name: 'Nightly: before the change', status: 'complete' },
      tenant: { id: CONTOSO.id },
      secrets: { mode: 'omit', values: [{ path: secretFile, jsonPath: 'omaSettings[0].value' }] },
      types: { deviceConfiguration: { count: 3 } },
    });
    const everything = Object.values(files).join('\n');
    expect(everything).not.toContain(CANARY);
    expect(everything).not.toContain('policyVaultSecret"');

    // Every file is in the manifest with what the backup store recorded for its version.
    expect(manifest.files.map((file) => file.path).sort()).toEqual(Object.keys(files).filter((path) => path !== 'manifest.json').sort());
    const items = (await (await get(`/backup-sets/${backupSetId}/items`)).json()) as { items: Array<{ policyVersionId: string; graphId: string; displayName: string }> };
    for (const item of items.items) {
      const version = (await (await get(`/policy-versions/${item.policyVersionId}`)).json()) as { contentHash: string; policyType: string };
      expect(manifest.files.find((file) => file.policyVersionId === item.policyVersionId)).toEqual(
        expect.objectContaining({ graphId: item.graphId, displayName: item.displayName, policyType: version.policyType, contentHash: version.contentHash }),
      );
    }
  });

  it('encrypted: the stored envelope as it is, never the plaintext; IntuneManagement\'s reader places every file', async () => {
    const { files, manifest } = await download('encrypted');
    const secretFile = manifest.files.find((file) => file.graphId === graphIds.secret)!.path;
    expect(manifest.secrets).toMatchObject({ mode: 'encrypted', values: [{ path: secretFile, jsonPath: 'omaSettings[0].value' }] });
    const { rows } = await stack.database.pool.query<{ snapshot: GraphObject }>(
      `SELECT version.snapshot FROM capture.policy_versions version JOIN capture.policies policy ON policy.id = version.policy_id WHERE policy.graph_id = $1`,
      [graphIds.secret],
    );
    const storedEnvelope = (rows[0].snapshot.omaSettings as GraphObject[])[0].value;
    expect(storedEnvelope).toEqual({ policyVaultSecret: expect.objectContaining({ algorithm: 'AES-256-GCM', ciphertext: expect.any(String), digest: expect.any(String) }) });
    const exported = json(files[secretFile]);
    expect((exported.omaSettings as GraphObject[])[0].value).toEqual(storedEnvelope);
    expect(Object.values(files).join('\n')).not.toContain(CANARY);
    expect(stack.services.filter((service) => readFileSync(service.logFile, 'utf8').includes(CANARY)).map((service) => service.name)).toEqual([]);

    // The folders are IntuneManagement's: the loader the emulator seeds from real exports reads them back.
    const folder = mkdtempSync(join(tmpdir(), 'pv-export-'));
    try {
      for (const [path, content] of Object.entries(files)) {
        if (path === 'manifest.json') continue;
        mkdirSync(dirname(join(folder, path)), { recursive: true });
        writeFileSync(join(folder, path), content);
      }
      const loaded = await loadExportDirectory(folder);
      expect(loaded.skipped).toEqual([]);
      expect(loaded.objects.map(({ type, object }) => `${type}:${String(object.id)}`).sort()).toEqual(
        [graphIds.secret, graphIds.twin, graphIds.ring].map((id) => `deviceConfiguration:${id}`).sort(),
      );
      expect(readFileSync(join(folder, 'UpdatePolicies/Ring 1.json'), 'utf8')).toContain('windowsUpdateForBusinessConfiguration');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('answers 404 for an unknown set, 409 while a set is capturing, 400 for a bad option, 403 in another tenant', async () => {
    const unknown = await get(`/backup-sets/${randomUUID()}/export`);
    expect({ status: unknown.status, body: await unknown.json() }).toEqual({ status: 404, body: { statusCode: 404, error: 'Not Found', message: 'backup set not found in this tenant' } });

    const capturingId = randomUUID();
    await stack.database.pool.query(
      `INSERT INTO capture.backup_sets (id, tenant_id, name, status, include_foundations, created_by_run_id, created_at) VALUES ($1, $2, 'Still capturing', 'capturing', false, $3, now())`,
      [capturingId, CONTOSO.id, randomUUID()],
    );
    const capturing = await get(`/backup-sets/${capturingId}/export`);
    expect({ status: capturing.status, body: await capturing.json() }).toEqual({
      status: 409,
      body: { statusCode: 409, error: 'Conflict', message: 'backup set is capturing; only a complete or partial backup set can be exported' },
    });

    const bad = await get(`/backup-sets/${backupSetId}/export?secrets=plaintext`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('secrets: must be one of the following values: omit, encrypted');

    const other = await get(`/backup-sets/${backupSetId}/export`, await stack.token('owner@fabrikam.test'));
    expect(other.status).toBe(403);
  });
});

// Backup set import (issue 15 item 2) through the real stack: archives written here in each tool's layout and
// encodings (IntuneManagement, IntuneCD JSON and YAML, Graph Explorer responses) become backup sets with one item
// per object; PolicyVault's own export imported back gives the same content hashes (secrets `encrypted`; `omit`
// fails the items whose secrets were left out); hostile archives (zip bomb, traversal, absolute paths, symbolic
// links, too many entries, too deep, too large, not a zip) fail their run with the reason and keep no backup set;
// bad uploads are 4xx, never 5xx; the upload is deleted once its run ended.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { Objm } from '@nats-io/obj';
import { connect } from '@nats-io/transport-node';
import { RunStatus, RunType, jetStreamNames, type RunItemView, type RunView } from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, NATS_URL, gatewayRuns, graphEmulatorEnv, startStack, type Stack } from '@policyvault/testing';

type GraphObject = Record<string, unknown>;

const CANARY = `pv-import-canary-${randomUUID()}`;
const GROUP_ID = '7d0c6b8e-0000-4000-8000-00000000e4a2';
const UPLOAD_LIMIT = 16 * 1024 * 1024;
const secretSetting = (value: string) => ({ '@odata.type': '#microsoft.graph.omaSettingString', displayName: 'Corp Wi-Fi key', omaUri: './Vendor/MSFT/WiFi/Profile/Corp/WlanXml', isEncrypted: true, value });

const utf8 = (value: unknown, bom = false) => Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(JSON.stringify(value, null, 2), 'utf8')]);
const utf16le = (value: unknown, bom = true) => Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(JSON.stringify(value, null, 2), 'utf16le')]);
const utf16be = (value: unknown) => {
  const body = Buffer.from(JSON.stringify(value, null, 2), 'utf16le');
  body.swap16();
  return Buffer.concat([Buffer.from([0xfe, 0xff]), body]);
};
/** YAML as IntuneCD writes it (block style), for the flat objects used here. */
const yaml = (object: GraphObject): Buffer => {
  const scalar = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : String(value));
  // PyYAML quotes keys starting with an indicator character (`'@odata.type':`).
  const key = (name: string) => (name.startsWith('@') ? `'${name}'` : name);
  const lines: string[] = [];
  for (const [name, value] of Object.entries(object)) {
    if (Array.isArray(value)) {
      lines.push(`${key(name)}:`);
      for (const entry of value as GraphObject[]) {
        const [first, ...rest] = Object.entries(entry);
        lines.push(`- ${key(first[0])}: ${scalar(first[1])}`, ...rest.map(([k, v]) => `  ${key(k)}: ${scalar(v)}`));
      }
    } else lines.push(`${key(name)}: ${scalar(value)}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
};

describe('backup set import: tool layouts and encodings, export identity, hostile archives', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let operator: string;
  let backupSetId: string;

  const api = (path: string, init: RequestInit = {}, token = operator) =>
    fetch(`${stack.gatewayUrl}/api/tenants/${CONTOSO.id}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  const upload = (body: Uint8Array | string, { name = 'Imported', contentType = 'application/zip', token = operator } = {}) =>
    api(`/imports${name === '' ? '' : `?name=${encodeURIComponent(name)}`}`, { method: 'POST', body: body as BodyInit, headers: { 'content-type': contentType } }, token);
  const runs = () => gatewayRuns(stack.gatewayUrl, operator);
  /** Uploads an archive and waits for its run's end: the run and its items. */
  const importArchive = async (files: Zippable | Uint8Array, name = `Import ${randomUUID()}`): Promise<{ run: RunView; items: RunItemView[] }> => {
    const response = await upload(files instanceof Uint8Array ? files : zipSync(files), { name });
    const body = (await response.json()) as { run: { id: string } };
    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toBe(`/api/tenants/${CONTOSO.id}/runs/${body.run.id}`);
    const run = await runs().waitUntilTerminal(CONTOSO.id, body.run.id, { timeoutMs: 60_000 });
    return { run, items: await runs().items(CONTOSO.id, body.run.id) };
  };
  /** The set's items as the backup store holds them: graph id → (type, content hash). */
  const storedSet = async (setId: string) => {
    const { rows } = await stack.database.pool.query<{ graph_id: string; policy_type: string; content_hash: string; snapshot: GraphObject }>(
      `SELECT policy.graph_id, policy.policy_type, version.content_hash, version.snapshot FROM capture.backup_items item
         JOIN capture.policies policy ON policy.id = item.policy_id JOIN capture.policy_versions version ON version.id = item.policy_version_id
        WHERE item.backup_set_id = $1`,
      [setId],
    );
    return rows;
  };
  const setsOfRun = async (runId: string) =>
    Number((await stack.database.pool.query<{ count: string }>(`SELECT count(*) FROM capture.backup_sets WHERE created_by_run_id = $1`, [runId])).rows[0].count);
  const uploadsLeft = async () => {
    const connection = await connect({ servers: NATS_URL });
    try {
      const store = await new Objm(connection).open(jetStreamNames(stack.env.NATS_NAMESPACE).importBucket);
      return (await store.list()).length;
    } finally {
      await connection.close();
    }
  };

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: { settingsCatalogPolicy: 2, compliancePolicy: 2 } } });
    emulator.admin.putObject(CONTOSO.directoryId, 'deviceConfiguration', {
      '@odata.type': '#microsoft.graph.windows10CustomConfiguration',
      displayName: 'Corp Wi-Fi',
      omaSettings: [secretSetting(CANARY)],
      assignments: [{ id: 'a1', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: GROUP_ID } }],
    });
    emulator.admin.putObject(CONTOSO.directoryId, 'deviceConfiguration', { '@odata.type': '#microsoft.graph.windowsUpdateForBusinessConfiguration', displayName: 'Ring 1' });
    stack = await startStack({
      services: ['run-service', 'capture-worker', 'gateway'],
      env: {
        ...graphEmulatorEnv(emulator.url),
        IMPORT_UPLOAD_LIMIT_BYTES: String(UPLOAD_LIMIT),
        IMPORT_MAX_ENTRIES: '300',
        IMPORT_MAX_UNCOMPRESSED_BYTES: String(8 * 1024 * 1024),
        IMPORT_MAX_DEPTH: '8',
      },
    });
    operator = await stack.token('operator@contoso.test');
    const { reply } = await runs().start(CONTOSO.id, {
      type: RunType.BackupSetCreate,
      target: { name: 'Before the move' },
      scope: { policyTypes: ['deviceConfiguration', 'settingsCatalogPolicy', 'compliancePolicy'] },
    });
    const run = await runs().waitUntilTerminal(CONTOSO.id, reply.run.id);
    expect(run).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 6, succeeded: 6 } });
    backupSetId = String(run.summary?.backupSetId);
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await emulator?.close();
  });

  const exported = async (secrets: 'omit' | 'encrypted') => {
    const response = await api(`/backup-sets/${backupSetId}/export?secrets=${secrets}`);
    expect(response.status).toBe(200);
    return new Uint8Array(await response.arrayBuffer());
  };

  it('export (secrets encrypted) → import gives an identical set: same objects, same content hashes; the upload is deleted', async () => {
    const response = await upload(await exported('encrypted'), { name: 'Round trip' });
    expect(response.status).toBe(202);
    const { run: started } = (await response.json()) as { run: { id: string } };
    const run = await runs().waitUntilTerminal(CONTOSO.id, started.id, { timeoutMs: 60_000 });
    expect(run).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 6, succeeded: 6, failed: 0 }, summary: { imported: 6, files: 6 } });
    const original = await storedSet(backupSetId);
    const imported = await storedSet(String(run.summary?.backupSetId));
    const identity = (rows: typeof original) => rows.map((row) => `${row.policy_type}:${row.graph_id}:${row.content_hash}`).sort();
    expect(identity(imported)).toEqual(identity(original));
    const set = (await (await api(`/backup-sets/${String(run.summary?.backupSetId)}`)).json()) as { name: string; status: string; itemCount: number };
    expect(set).toMatchObject({ name: 'Round trip', status: 'complete', itemCount: 6 });
    expect(JSON.stringify(imported.map((row) => row.snapshot))).not.toContain(CANARY);
    expect(await uploadsLeft()).toBe(0);
  }, 120_000);

  it('export (secrets omitted) → import: the object whose secret was left out fails with secret_value_omitted, the others are identical', async () => {
    const { run, items } = await importArchive(await exported('omit'));
    expect(run).toMatchObject({ status: RunStatus.Partial, counts: { total: 6, succeeded: 5, failed: 1 } });
    const failed = items.filter((item) => item.status === 'failed');
    expect(failed).toEqual([
      expect.objectContaining({ label: 'DeviceConfiguration/Corp Wi-Fi.json', error: expect.objectContaining({ code: 'secret_value_omitted', context: { fileName: 'DeviceConfiguration/Corp Wi-Fi.json' } }) }),
    ]);
    const original = new Map((await storedSet(backupSetId)).map((row) => [row.graph_id, row.content_hash]));
    const imported = await storedSet(String(run.summary?.backupSetId));
    expect(imported).toHaveLength(5);
    for (const row of imported) expect(row.content_hash).toBe(original.get(row.graph_id));
  }, 120_000);

  it("every tool's layout and encoding lands, one item per object; unreadable and unplaceable files fail with their name and reason", async () => {
    const catalog = (name: string) => ({
      name,
      description: '',
      platforms: 'windows10',
      technologies: 'mdm',
      settings: [{ settingInstance: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance', settingDefinitionId: 'device_vendor_msft_policy_config_defender_allowrealtimemonitoring', choiceSettingValue: { value: 'device_vendor_msft_policy_config_defender_allowrealtimemonitoring_1', children: [] } } }],
    });
    const files: Zippable = {
      // IntuneManagement (Windows PowerShell): UTF-16 LE and BE with a BOM, UTF-8 with a BOM; ids kept.
      'IntuneManagement/DeviceConfiguration/Kiosk.json': utf16le({ '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', id: 'im-device-1', displayName: 'Kiosk' }),
      'IntuneManagement/SettingsCatalog/Defender.json': utf8({ id: 'im-catalog-1', ...catalog('Defender') }, true),
      'IntuneManagement/CompliancePolicies/Windows.json': utf16be({ '@odata.type': '#microsoft.graph.windows10CompliancePolicy', id: 'im-compliance-1', displayName: 'Windows baseline' }),
      // A plaintext secret value (another tool's export): sealed before it is stored.
      'IntuneManagement/DeviceConfiguration/Custom.json': utf8({ '@odata.type': '#microsoft.graph.windows10CustomConfiguration', id: 'im-device-2', displayName: 'Custom', omaSettings: [secretSetting(CANARY)] }),
      // IntuneCD: no ids, no @odata.type on settings catalog policies, YAML and JSON, script bodies beside.
      'IntuneCD/Device Configurations/Edge_windows10GeneralConfiguration.yaml': yaml({ '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', displayName: 'Edge', passwordRequired: true }),
      'IntuneCD/Settings Catalog/Firewall_windows10.json': utf8(catalog('Firewall')),
      'IntuneCD/Compliance Policies/Policies/iOS_iosCompliancePolicy.yaml': yaml({ '@odata.type': '#microsoft.graph.iosCompliancePolicy', displayName: 'iOS', passcodeRequired: true }),
      'IntuneCD/Scripts/Powershell/Cleanup.json': utf8({ '@odata.type': '#microsoft.graph.deviceManagementScript', displayName: 'Cleanup', fileName: 'cleanup.ps1', runAsAccount: 'system' }),
      'IntuneCD/Script Data/cleanup.ps1': strToU8('Write-Output "cleanup"\n'),
      'IntuneCD/Filters/Windows 11.yaml': yaml({ '@odata.type': '#microsoft.graph.deviceAndAppManagementAssignmentFilter', displayName: 'Windows 11', platform: 'windows10AndLater', rule: '(device.osVersion -startsWith "10.0.22")' }),
      'IntuneCD/Roles/Helpdesk.yaml': yaml({ displayName: 'Helpdesk', isBuiltIn: false }),
      // Graph Explorer: a collection response (UTF-16 LE without a BOM) and a single entity.
      'Graph Explorer/deviceConfigurations.json': utf16le(
        {
          '@odata.context': 'https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceConfigurations',
          value: [
            { '@odata.type': '#microsoft.graph.macOSGeneralDeviceConfiguration', id: 'ge-device-1', displayName: 'macOS' },
            { '@odata.type': '#microsoft.graph.iosGeneralDeviceConfiguration', id: 'ge-device-2', displayName: 'iOS restrictions' },
          ],
        },
        false,
      ),
      'Graph Explorer/policy.json': utf8({ '@odata.context': 'https://graph.microsoft.com/beta/$metadata#deviceManagement/configurationPolicies/$entity', id: 'ge-catalog-1', ...catalog('From Graph Explorer') }),
      // Files that cannot be read or placed.
      'IntuneManagement/DeviceConfiguration/Broken.json': strToU8('{"displayName": "Broken",'),
      'IntuneManagement/DeviceConfiguration/Latin1.json': Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]),
      'misc/unknown.json': utf8({ colour: 'blue' }),
      // The same object twice (same type and id): the first file in the archive wins.
      'IntuneManagement/DeviceConfiguration/Kiosk (copy).json': utf8({ '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', id: 'im-device-1', displayName: 'Kiosk copy' }),
      'README.txt': strToU8('exported by hand\n'),
    };
    const { run, items } = await importArchive(files);
    const byLabel = new Map(items.map((item) => [item.label, item]));
    const succeeded = items.filter((item) => item.status === 'succeeded').map((item) => `${String(item.result?.policyType)}:${item.label}`).sort();
    expect(succeeded).toEqual(
      [
        'compliancePolicy:Windows baseline',
        'compliancePolicy:iOS',
        'deviceConfiguration:Custom',
        'deviceConfiguration:Edge',
        'deviceConfiguration:Kiosk',
        'deviceConfiguration:iOS restrictions',
        'deviceConfiguration:macOS',
        'settingsCatalogPolicy:Defender',
        'settingsCatalogPolicy:Firewall',
        'settingsCatalogPolicy:From Graph Explorer',
        'windowsPlatformScript:Cleanup',
        'assignmentFilter:Windows 11',
      ].sort(),
    );
    expect(byLabel.get('IntuneManagement/DeviceConfiguration/Broken.json')).toMatchObject({
      status: 'failed',
      error: { code: 'import_file_unreadable', message: 'The file is not valid JSON.', context: { fileName: 'IntuneManagement/DeviceConfiguration/Broken.json' } },
    });
    expect(byLabel.get('IntuneManagement/DeviceConfiguration/Latin1.json')).toMatchObject({ status: 'failed', error: { code: 'import_file_unreadable', message: 'The file is not valid UTF-8 or UTF-16 text.' } });
    expect(byLabel.get('misc/unknown.json')).toMatchObject({ status: 'failed', error: { code: 'import_file_unplaced', context: { fileName: 'misc/unknown.json' } } });
    expect(byLabel.get('IntuneCD/Roles/Helpdesk.yaml')).toMatchObject({ status: 'skipped', outcome: 'unsupported' });
    expect(byLabel.get('IntuneManagement/DeviceConfiguration/Kiosk (copy).json')).toMatchObject({ status: 'failed', error: { code: 'import_file_unplaced', message: expect.stringMatching(/same object/) } });
    expect(run).toMatchObject({ status: RunStatus.Partial, counts: { total: 17, succeeded: 12, failed: 4, skipped: 1 }, summary: { imported: 12, ignoredFiles: 2 } });

    const stored = await storedSet(String(run.summary?.backupSetId));
    expect(stored).toHaveLength(12);
    // Ids kept where the file had one; IntuneCD's objects get a stable one of their own.
    expect(stored.map((row) => row.graph_id)).toEqual(expect.arrayContaining(['im-device-1', 'im-catalog-1', 'im-compliance-1', 'ge-device-1', 'ge-device-2', 'ge-catalog-1']));
    expect(stored.filter((row) => row.graph_id.startsWith('imported-'))).toHaveLength(5);
    const custom = stored.find((row) => row.graph_id === 'im-device-2')!;
    expect((custom.snapshot.omaSettings as GraphObject[])[0].value).toEqual({ policyVaultSecret: expect.objectContaining({ algorithm: 'AES-256-GCM' }) });
    expect(JSON.stringify(stored.map((row) => row.snapshot))).not.toContain(CANARY);
    expect(stack.services.filter((service) => readFileSync(service.logFile, 'utf8').includes(CANARY)).map((service) => service.name)).toEqual([]);

    // The same archive again: the same objects and content (IntuneCD's derived ids are stable).
    const again = await importArchive(files);
    const identity = (rows: typeof stored) => rows.map((row) => `${row.graph_id}:${row.content_hash}`).sort();
    expect(identity(await storedSet(String(again.run.summary?.backupSetId)))).toEqual(identity(stored));
  }, 180_000);

  describe('hostile archives: the run fails with the reason, no backup set is kept', () => {
    const bytes = (size: number) => new Uint8Array(size);
    const cases: Array<[string, () => Uint8Array, RegExp]> = [
      ['path traversal', () => zipSync({ 'ok.json': utf8({ displayName: 'x' }), '../../etc/evil.json': utf8({}) }), /leaves the archive/],
      ['an absolute path', () => zipSync({ '/etc/evil.json': utf8({}) }), /leaves the archive/],
      ['a symbolic link', () => zipSync({ 'DeviceConfiguration/link.json': [strToU8('/etc/passwd'), { os: 3, attrs: (0o120777 << 16) >>> 0 }] }), /symbolic link/],
      ['a zip bomb (compression ratio)', () => zipSync({ 'DeviceConfiguration/bomb.json': [bytes(4 * 1024 * 1024), { level: 9 }] }), /zip bomb/],
      ['too much once expanded', () => zipSync(Object.fromEntries(Array.from({ length: 9 }, (_, index) => [`f${index}.json`, [randomBytes(1024 * 1024), { level: 0 }]]))), /expands to more than/],
      ['too many entries', () => zipSync(Object.fromEntries(Array.from({ length: 301 }, (_, index) => [`DeviceConfiguration/${index}.json`, utf8({ displayName: String(index) })]))), /more than 300 entries/],
      ['nested too deep', () => zipSync({ [`${Array.from({ length: 9 }, (_, index) => `d${index}`).join('/')}/x.json`]: utf8({}) }), /deeper than 8 folders/],
      ['a malformed zip', () => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(2048)]), /not a readable zip|malformed/],
    ];
    it.each(cases)('%s', async (_name, archive, reason) => {
      const response = await upload(archive(), { name: 'Hostile' });
      expect(response.status).toBe(202);
      const { run: started } = (await response.json()) as { run: { id: string } };
      const run = await runs().waitUntilTerminal(CONTOSO.id, started.id, { timeoutMs: 60_000 });
      expect(run).toMatchObject({ status: RunStatus.Failed, counts: { total: 0 }, error: { code: 'import_archive_rejected' } });
      expect(run.error?.message).toMatch(reason);
      expect(run.error?.message).toMatch(/Nothing was imported\.$/);
      expect(await setsOfRun(started.id)).toBe(0);
    }, 60_000);
  });

  it('answers 4xx for bad uploads, never 5xx; nothing stays in the bucket', async () => {
    const zip = zipSync({ 'x.json': utf8({}) });
    const cases: Array<[string, Promise<Response>, number, RegExp]> = [
      ['no name', upload(zip, { name: '' }), 400, /name/],
      ['not a zip content type', upload(zip, { contentType: 'text/plain' }), 400, /must be a zip archive/],
      ['JSON instead of a zip', upload('{"hello": "world"}', { contentType: 'application/json' }), 400, /zip archive/],
      ['not a zip body', upload('{"hello": "world"}'), 400, /not a zip archive/],
      ['an empty body', upload(new Uint8Array(0)), 400, /not a zip archive/],
      ['a reader', upload(zip, { token: await stack.token('reader@contoso.test') }), 403, /operator/],
    ];
    for (const [what, pending, status, message] of cases) {
      const response = await pending;
      const body = (await response.json()) as { message: string | string[] };
      expect({ what, status: response.status }).toEqual({ what, status });
      expect(JSON.stringify(body.message)).toMatch(message);
    }
    // Past the limit, announced (Content-Length: answered at once) or not (chunked: refused while streaming). The
    // gateway answers and closes the connection while the client is still sending, so a raw socket reads the answer.
    const token = operator;
    const oversized = async (chunked: boolean): Promise<string> => {
      const { hostname, port } = new URL(stack.gatewayUrl);
      const socket = createConnection({ host: hostname, port: Number(port) });
      let received = '';
      socket.on('data', (data: Buffer) => (received += data.toString('latin1')));
      socket.on('error', () => undefined);
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      const length = chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${UPLOAD_LIMIT + 1}`;
      socket.write(`POST /api/tenants/${CONTOSO.id}/imports?name=Big HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/zip\r\n${length}\r\n\r\n`);
      const block = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(256 * 1024 - 4)]);
      // Announced: the first block only, then the answer. Chunked: block by block (paced, so the answer is read
      // before the closed connection resets) until the gateway answers.
      const blocks = chunked ? Math.ceil(UPLOAD_LIMIT / block.length) + 2 : 1;
      for (let sent = 0; sent < blocks && !socket.destroyed && received === ''; sent += 1) {
        const payload = chunked ? Buffer.concat([Buffer.from(`${block.length.toString(16)}\r\n`), block, Buffer.from('\r\n')]) : block;
        if (!socket.write(payload)) await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), closed]);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      socket.destroy();
      return received;
    };
    for (const chunked of [false, true]) {
      const answer = await oversized(chunked);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toContain(`request body exceeds ${UPLOAD_LIMIT} bytes`);
    }
    expect(await uploadsLeft()).toBe(0);
  }, 60_000);
});

// The backup set export route in-process against real NATS, with a stand-in capture-worker: how the gateway
// pages through the store (cursor by cursor, the secret mode passed on), what the zip holds, and what a
// failure means before the first byte (an HTTP error) and after it (a cut-off download, never a whole zip).
import { strFromU8, unzipSync } from 'fflate';
import { BackupStoreRpc, DEMO_TENANTS, RpcErrorCode, type ExportedBackupItem } from '@policyvault/contracts';
import { startFakeRpcServer, type FakeRpcServer } from './fake-rpc-server.js';
import { startGatewayInProcess, tokenFor, type GatewayFixture } from './gateway.fixture.js';
import { backupSetView } from './views.js';

const [contoso] = DEMO_TENANTS;
const SET_ID = '9e8d7c6b-2222-4222-8222-000000000002';

function exportedItem(index: number, overrides: Partial<ExportedBackupItem> = {}): ExportedBackupItem {
  return {
    id: `00000000-0000-4000-8000-00000000000${index}`,
    policyId: `10000000-0000-4000-8000-00000000000${index}`,
    policyVersionId: `20000000-0000-4000-8000-00000000000${index}`,
    policyType: 'deviceConfiguration',
    graphId: `graph-${index}`,
    displayName: `Profile ${index}`,
    isFoundation: false,
    odataType: '#microsoft.graph.windows10GeneralConfiguration',
    contentHash: `sha256:${index}`,
    snapshot: { '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', id: `graph-${index}`, displayName: `Profile ${index}`, assignments: [] },
    secretPaths: [],
    ...overrides,
  };
}

describe('gateway backup set export (in-process, stand-in capture-worker)', () => {
  let gateway: GatewayFixture;
  let captureWorker: FakeRpcServer;
  let reader: string;
  let baseUrl: string;

  beforeAll(async () => {
    gateway = await startGatewayInProcess({ BACKUP_STORE_TIMEOUT_MS: '2000' });
    captureWorker = await startFakeRpcServer(gateway.nats.namespace, 'capture-worker', Object.values(BackupStoreRpc));
    reader = await tokenFor('reader@contoso.test');
    const server = gateway.http.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    await captureWorker?.close().catch(() => undefined);
    await gateway?.close();
  });

  beforeEach(() => captureWorker.state.reset());

  const exportSet = (query = '') => fetch(`${baseUrl}/api/tenants/${contoso.id}/backup-sets/${SET_ID}/export${query}`, { headers: { authorization: `Bearer ${reader}` } });

  it('pages through the store with its cursors and writes every page into one zip with the manifest', async () => {
    captureWorker.state.answer(BackupStoreRpc.getBackupSet, { reply: backupSetView({ name: 'Nightly', createdAt: '2026-02-03T04:05:06.000Z', itemCount: 3 }) });
    const secret = exportedItem(2, { displayName: 'profile 1', secretPaths: ['omaSettings[0].value'], snapshot: { omaSettings: [{ value: { policyVaultSecret: { keyId: 'k1' } } }] } });
    captureWorker.state.answer(BackupStoreRpc.exportBackupItems, {
      replyTo: (payload) => (payload.cursor === 'page-2' ? { items: [exportedItem(3, { policyType: 'scopeTag' })], nextCursor: null } : { items: [exportedItem(1), secret], nextCursor: 'page-2' }),
    });
    const response = await exportSet('?secrets=encrypted');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="Nightly-2026-02-03.zip"');
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));

    expect(captureWorker.state.calls.map((call) => call.payload)).toEqual([
      { tenantId: contoso.id, backupSetId: SET_ID },
      { tenantId: contoso.id, backupSetId: SET_ID, secrets: 'encrypted', limit: 100 },
      { tenantId: contoso.id, backupSetId: SET_ID, secrets: 'encrypted', limit: 100, cursor: 'page-2' },
    ]);
    expect(Object.keys(files).sort()).toEqual(['DeviceConfiguration/Profile 1.json', 'DeviceConfiguration/profile 1_graph-2.json', 'ScopeTags/Profile 3.json', 'manifest.json']);
    expect(JSON.parse(strFromU8(files['DeviceConfiguration/profile 1_graph-2.json']))).toEqual(secret.snapshot);
    expect(JSON.parse(strFromU8(files['manifest.json']))).toMatchObject({
      backupSet: { id: SET_ID, name: 'Nightly', itemCount: 3 },
      tenant: { id: contoso.id, displayName: contoso.displayName },
      secrets: { mode: 'encrypted', values: [{ path: 'DeviceConfiguration/profile 1_graph-2.json', jsonPath: 'omaSettings[0].value' }] },
      types: { deviceConfiguration: { count: 2 }, scopeTag: { count: 1 } },
      files: [
        { path: 'DeviceConfiguration/Profile 1.json', contentHash: 'sha256:1', graphId: 'graph-1' },
        { path: 'DeviceConfiguration/profile 1_graph-2.json', contentHash: 'sha256:2', graphId: 'graph-2' },
        { path: 'ScopeTags/Profile 3.json', contentHash: 'sha256:3', policyType: 'scopeTag' },
      ],
    });
  });

  it('answers with an HTTP error while nothing is sent: 409 for a set still capturing or failed, 404 and 503 from the store', async () => {
    captureWorker.state.answer(BackupStoreRpc.getBackupSet, { reply: backupSetView({ status: 'failed' }) });
    const failed = await exportSet();
    expect({ status: failed.status, body: await failed.json() }).toEqual({
      status: 409,
      body: { statusCode: 409, error: 'Conflict', message: 'backup set is failed; only a complete or partial backup set can be exported' },
    });
    expect(captureWorker.state.calls.map((call) => call.pattern)).toEqual([BackupStoreRpc.getBackupSet]);

    captureWorker.state.answer(BackupStoreRpc.getBackupSet, { reply: backupSetView() });
    captureWorker.state.answer(BackupStoreRpc.exportBackupItems, { error: { code: RpcErrorCode.NotFound, message: 'backup set' } });
    const gone = await exportSet();
    expect({ status: gone.status, body: await gone.json() }).toEqual({ status: 404, body: { statusCode: 404, error: 'Not Found', message: 'backup set not found in this tenant' } });
  });

  it('cuts the download off when the store fails after the first page (no zip directory, never a partial archive passed as whole)', async () => {
    captureWorker.state.answer(BackupStoreRpc.getBackupSet, { reply: backupSetView() });
    captureWorker.state.answer(BackupStoreRpc.exportBackupItems, {
      replyTo: (payload) => {
        if (payload.cursor) throw new Error('database went away');
        return { items: [exportedItem(1)], nextCursor: 'page-2' };
      },
    });
    const response = await exportSet();
    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow();
  });
});

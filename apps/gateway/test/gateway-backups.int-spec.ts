// The backup store's read routes, in-process against real Postgres and NATS, with a stand-in
// capture-worker on the real transport: what the gateway asks for, what it passes back, and how it
// turns each kind of answer (or silence) into HTTP. Every check that ends before the call sends none.
import request from 'supertest';
import { BackupStoreRpc, DEMO_TENANTS, RpcErrorCode } from '@policyvault/contracts';
import { startFakeRpcServer, type FakeRpcServer } from './fake-rpc-server.js';
import { startGatewayInProcess, tokenFor, type GatewayFixture } from './gateway.fixture.js';
import { backupItemView, backupSetView, policyVersionSummary, policyVersionView, policyView } from './views.js';

const [contoso] = DEMO_TENANTS;
const POLICY_ID = '3f0f4a52-6c1e-4d0a-9b7e-2a1c3d4e5f60';
const VERSION_ID = '7c2d9e10-1111-4111-8111-000000000001';
const SET_ID = '9e8d7c6b-2222-4222-8222-000000000002';
const BACKUP_STORE_TIMEOUT_MS = 400;

const tenantPath = `/api/tenants/${contoso.id}`;
const page = <T>(items: T[]) => ({ items, nextCursor: items.length > 0 ? 'next-page' : null });

describe('gateway backup store API (in-process, stand-in capture-worker)', () => {
  let gateway: GatewayFixture;
  let captureWorker: FakeRpcServer;
  let ownerToken: string;
  let readerToken: string;

  beforeAll(async () => {
    gateway = await startGatewayInProcess({ BACKUP_STORE_TIMEOUT_MS: String(BACKUP_STORE_TIMEOUT_MS) });
    captureWorker = await startFakeRpcServer(gateway.nats.namespace, 'capture-worker', Object.values(BackupStoreRpc));
    ownerToken = await tokenFor('owner@contoso.test');
    readerToken = await tokenFor('reader@contoso.test');
  });

  afterAll(async () => {
    await captureWorker?.close().catch(() => undefined);
    await gateway?.close();
  });

  beforeEach(() => captureWorker.state.reset());

  const get = (path: string, token = readerToken) => request(gateway.http).get(path).set('Authorization', `Bearer ${token}`);

  // Each route as a reader: the pattern it calls, the payload it sends (tenant from the path, ids
  // lower-cased, paging typed), and the reply passed back untouched.
  it.each([
    ['/policies', BackupStoreRpc.listPolicies, page([policyView()]), { tenantId: contoso.id }],
    [
      '/policies?policyType=deviceConfiguration&search=Windows%20base&limit=25&cursor=abc',
      BackupStoreRpc.listPolicies,
      page([policyView()]),
      { tenantId: contoso.id, policyType: 'deviceConfiguration', search: 'Windows base', limit: 25, cursor: 'abc' },
    ],
    [
      `/policies/${POLICY_ID.toUpperCase()}/versions?limit=2&cursor=c1`,
      BackupStoreRpc.listPolicyVersions,
      page([policyVersionSummary(), policyVersionSummary({ id: VERSION_ID.replace('0001', '0002') })]),
      { tenantId: contoso.id, policyId: POLICY_ID, limit: 2, cursor: 'c1' },
    ],
    [`/policy-versions/${VERSION_ID}`, BackupStoreRpc.getPolicyVersion, policyVersionView(), { tenantId: contoso.id, versionId: VERSION_ID }],
    ['/backup-sets?limit=200', BackupStoreRpc.listBackupSets, page([backupSetView()]), { tenantId: contoso.id, limit: 200 }],
    [`/backup-sets/${SET_ID}`, BackupStoreRpc.getBackupSet, backupSetView({ status: 'partial' }), { tenantId: contoso.id, backupSetId: SET_ID }],
    [`/backup-sets/${SET_ID}/items`, BackupStoreRpc.listBackupItems, page([backupItemView()]), { tenantId: contoso.id, backupSetId: SET_ID }],
    [`/backup-sets/${SET_ID}/items?limit=1&cursor=c2`, BackupStoreRpc.listBackupItems, page([]), { tenantId: contoso.id, backupSetId: SET_ID, limit: 1, cursor: 'c2' }],
  ])('GET …%s → %s', async (path, pattern, reply, payload) => {
    captureWorker.state.answer(pattern, { reply });
    const response = await get(`${tenantPath}${path}`).expect(200);
    expect(response.body).toEqual(reply);
    expect(captureWorker.state.calls).toEqual([{ pattern, payload }]);
  });

  it('passes a version snapshot through as the worker sent it', async () => {
    const snapshot = { '@odata.type': '#microsoft.graph.x', nested: { list: [1, 'two', null, { deep: true }] }, unicode: 'Überprüfung ✓' };
    captureWorker.state.answer(BackupStoreRpc.getPolicyVersion, { reply: policyVersionView({ snapshot }) });
    expect((await get(`${tenantPath}/policy-versions/${VERSION_ID}`).expect(200)).body.snapshot).toEqual(snapshot);
  });

  it.each([
    ['/policies?policyType=1abc', 'policyType: must be a letter followed by 1 to 63 letters or digits'],
    ['/policies?policyType=device-configuration', 'policyType: must be a letter followed by 1 to 63 letters or digits'],
    [`/policies?policyType=d${'x'.repeat(64)}`, 'policyType: must be a letter followed by 1 to 63 letters or digits'],
    ['/policies?search=', 'search: must be longer than or equal to 1 characters'],
    [`/policies?search=${'s'.repeat(201)}`, 'search: must be shorter than or equal to 200 characters'],
    ['/policies?search=a&search=b', 'search: must be a string'],
    ['/policies?limit=0', 'limit: must not be less than 1'],
    ['/policies?limit=201', 'limit: must not be greater than 200'],
    ['/policies?limit=ten', 'limit: must be an integer number'],
    ['/policies?status=queued', 'status: property status should not exist'],
    ['/policies/42/versions', 'policyId: must be a UUID'],
    [`/policies/${POLICY_ID}/versions?cursor=${'c'.repeat(201)}`, 'cursor: must be shorter than or equal to 200 characters'],
    [`/policies/${POLICY_ID}/versions?search=x`, 'search: property search should not exist'],
    ['/policy-versions/latest', 'versionId: must be a UUID'],
    ['/backup-sets?cursor=', 'cursor: must be longer than or equal to 1 characters'],
    ['/backup-sets/nightly', 'setId: must be a UUID'],
    ['/backup-sets/nightly/items', 'setId: must be a UUID'],
    [`/backup-sets/${SET_ID}/items?includeSnapshots=true`, 'includeSnapshots: property includeSnapshots should not exist'],
    [`/backup-sets/${SET_ID}/items?backupItemIds=${POLICY_ID}`, 'backupItemIds: property backupItemIds should not exist'],
  ])('GET …%s → 400 naming the field, without calling the backup store', async (path, message) => {
    const response = await get(`${tenantPath}${path}`).expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect([response.body.message].flat().join('\n')).toContain(message);
    expect(captureWorker.state.calls).toEqual([]);
  });

  it('answers 401 and 403 before calling the backup store', async () => {
    await request(gateway.http).get(`${tenantPath}/backup-sets`).expect(401);
    const fabrikamOwner = await tokenFor('owner@fabrikam.test');
    expect((await get(`${tenantPath}/backup-sets/${SET_ID}`, fabrikamOwner).expect(403)).body.message).toBe('you are not a member of this tenant');
    await get(`/api/tenants/${POLICY_ID}/policies`, ownerToken).expect(403);
    await get(`/api/tenants/${POLICY_ID}/policies/not-a-uuid/versions`, ownerToken).expect(403);
    expect(captureWorker.state.calls).toEqual([]);
  });

  it.each([
    [`/policies/${POLICY_ID}/versions`, BackupStoreRpc.listPolicyVersions, 'policy not found in this tenant'],
    [`/policy-versions/${VERSION_ID}`, BackupStoreRpc.getPolicyVersion, 'policy version not found in this tenant'],
    [`/backup-sets/${SET_ID}`, BackupStoreRpc.getBackupSet, 'backup set not found in this tenant'],
    [`/backup-sets/${SET_ID}/items`, BackupStoreRpc.listBackupItems, 'backup set not found in this tenant'],
  ])('GET …%s: not_found → 404 naming what', async (path, pattern, message) => {
    captureWorker.state.answer(pattern, { error: { code: RpcErrorCode.NotFound, message: `no row for ${SET_ID}` } });
    const response = await get(`${tenantPath}${path}`).expect(404);
    expect(response.body).toEqual({ statusCode: 404, error: 'Not Found', message });
  });

  it('maps validation_failed to 400 with its message, internal_error to 502 without details', async () => {
    captureWorker.state.answer(BackupStoreRpc.listPolicies, { error: { code: RpcErrorCode.ValidationFailed, message: 'cursor: not a cursor of this list' } });
    expect((await get(`${tenantPath}/policies?cursor=forged`).expect(400)).body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'cursor: not a cursor of this list',
    });

    captureWorker.state.answer(BackupStoreRpc.listBackupSets, { error: { code: RpcErrorCode.Internal, message: 'relation "backup_sets" does not exist' } });
    const failed = await get(`${tenantPath}/backup-sets`).expect(502);
    expect(failed.body).toEqual({ statusCode: 502, error: 'Bad Gateway', message: 'capture-worker failed to answer' });
  });

  it('answers 503 (retryable) when the backup store is too slow', async () => {
    captureWorker.state.answer(BackupStoreRpc.getBackupSet, { delayMs: BACKUP_STORE_TIMEOUT_MS * 3, reply: backupSetView() });
    const started = Date.now();
    const response = await get(`${tenantPath}/backup-sets/${SET_ID}`).expect(503);
    expect(Date.now() - started).toBeLessThan(BACKUP_STORE_TIMEOUT_MS * 3);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body.message).toBe(`capture-worker did not answer within ${BACKUP_STORE_TIMEOUT_MS} ms; try again`);
  });

  it('answers 503 when no capture-worker is listening', async () => {
    await captureWorker.close();
    const response = await get(`${tenantPath}/policies`).expect(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'capture-worker is not available; try again' });
  });
});

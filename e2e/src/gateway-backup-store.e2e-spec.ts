// The gateway's backup store routes against the real capture-worker (both processes from dist/, real
// Postgres and NATS): what a member reads, paging, filters, and tenant isolation through the real
// request/reply path. No run-service is started, so no command reaches the worker: the store holds
// exactly the rows written here, straight into capture-worker's tables, as its captures would.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { DEMO_TENANTS } from '@policyvault/contracts';
import { signDevelopmentToken } from '@policyvault/platform';
import { createTestDatabase, createTestNats, NATS_URL, startService, type ServiceProcess, type TestDatabase, type TestNats } from '@policyvault/testing';

const SIGNING_KEY = 'gateway-backup-store-e2e-signing-key-0123456789';
const [contoso, fabrikam] = DEMO_TENANTS;

interface StoredPolicy {
  id: string;
  versionIds: string[];
}

/** Writes a policy with versions captured a minute apart (the last is the latest), as a capture would. */
async function storePolicy(
  database: TestDatabase,
  tenantId: string,
  policyType: string,
  displayName: string,
  snapshots: Record<string, unknown>[],
): Promise<StoredPolicy> {
  const policy = { id: randomUUID(), versionIds: snapshots.map(() => randomUUID()) };
  await database.pool.query(
    `INSERT INTO capture.policies (id, tenant_id, policy_type, graph_id, display_name, first_seen_at, last_seen_at)
     VALUES ($1, $2, $3, $4, $5, '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z')`,
    [policy.id, tenantId, policyType, randomUUID(), displayName],
  );
  for (const [index, snapshot] of snapshots.entries()) {
    const json = JSON.stringify(snapshot);
    await database.pool.query(
      `INSERT INTO capture.policy_versions (id, tenant_id, policy_id, content_hash, snapshot, size_bytes, captured_at, captured_by_run_id)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)`,
      [policy.versionIds[index], tenantId, policy.id, `sha256:${index}`, json, Buffer.byteLength(json), `2026-01-01T00:0${index}:00Z`, randomUUID()],
    );
  }
  await database.pool.query(`UPDATE capture.policies SET latest_version_id = $1 WHERE id = $2`, [policy.versionIds.at(-1), policy.id]);
  return policy;
}

async function storeBackupSet(database: TestDatabase, tenantId: string, name: string, items: StoredPolicy[]): Promise<string> {
  const setId = randomUUID();
  await database.pool.query(
    `INSERT INTO capture.backup_sets (id, tenant_id, name, status, include_foundations, created_by_run_id, created_at, completed_at)
     VALUES ($1, $2, $3, 'complete', false, $4, '2026-01-03T00:00:00Z', '2026-01-03T00:01:00Z')`,
    [setId, tenantId, name, randomUUID()],
  );
  for (const [index, policy] of items.entries()) {
    await database.pool.query(
      `INSERT INTO capture.backup_items (id, tenant_id, backup_set_id, policy_id, policy_version_id, is_foundation, added_by_run_id, added_at)
       VALUES ($1, $2, $3, $4, $5, false, $6, $7)`,
      [randomUUID(), tenantId, setId, policy.id, policy.versionIds.at(-1), randomUUID(), `2026-01-03T00:00:0${index}Z`],
    );
  }
  return setId;
}

describe('gateway backup store routes (gateway + capture-worker processes, real Postgres and NATS)', () => {
  let database: TestDatabase;
  let nats: TestNats;
  let captureWorker: ServiceProcess;
  let gateway: ServiceProcess;
  let reader: string;
  let fabrikamOwner: string;
  let windows: StoredPolicy;
  let edge: StoredPolicy;
  let fabrikamPolicy: StoredPolicy;
  let contosoSetId: string;
  let fabrikamSetId: string;

  const get = async (path: string, token = reader) => {
    const response = await fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & { items?: Record<string, unknown>[] } };
  };
  const inContoso = (path: string) => `/api/tenants/${contoso.id}${path}`;
  const inFabrikam = (path: string) => `/api/tenants/${fabrikam.id}${path}`;

  beforeAll(async () => {
    database = await createTestDatabase();
    await promisify(execFile)(process.execPath, ['dist/apps/gateway/src/database/seed.js'], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url },
    });
    windows = await storePolicy(database, contoso.id, 'deviceConfiguration', 'Windows baseline', [
      { displayName: 'Windows baseline', passwordMinimumLength: 8 },
      { displayName: 'Windows baseline', passwordMinimumLength: 12, assignments: [{ target: { groupId: 'g1' } }] },
    ]);
    edge = await storePolicy(database, contoso.id, 'settingsCatalog', 'Edge hardening', [{ name: 'Edge hardening', settings: [] }]);
    fabrikamPolicy = await storePolicy(database, fabrikam.id, 'deviceConfiguration', 'Fabrikam Windows', [{ displayName: 'Fabrikam Windows' }]);
    contosoSetId = await storeBackupSet(database, contoso.id, 'Nightly', [windows, edge]);
    fabrikamSetId = await storeBackupSet(database, fabrikam.id, 'Fabrikam nightly', [fabrikamPolicy]);

    nats = await createTestNats();
    const env = { DATABASE_URL: database.url, NATS_URL, NATS_NAMESPACE: nats.namespace };
    // Graph is never called here (no commands); the variables only have to be well-formed.
    captureWorker = await startService('capture-worker', {
      ...env,
      GRAPH_CLIENT_ID: 'e2e-client',
      GRAPH_CLIENT_SECRET: 'e2e-secret',
      GRAPH_BASE_URL: 'http://127.0.0.1:9',
      GRAPH_AUTHORITY_HOST: 'http://127.0.0.1:9',
    });
    gateway = await startService('gateway', { ...env, AUTH_MODE: 'development', AUTH_DEV_SIGNING_KEY: SIGNING_KEY });
    reader = await signDevelopmentToken({ email: 'reader@contoso.test', signingKey: SIGNING_KEY });
    fabrikamOwner = await signDevelopmentToken({ email: 'owner@fabrikam.test', signingKey: SIGNING_KEY });
  }, 90_000);

  afterAll(async () => {
    await gateway?.stop();
    await captureWorker?.stop();
    await nats?.close();
    await database?.drop();
  });

  it("lets a reader list the tenant's policies, filtered and paged, and never another tenant's", async () => {
    const all = await get(inContoso('/policies'));
    expect(all.status).toBe(200);
    expect(all.body).toEqual({
      items: [
        expect.objectContaining({ id: edge.id, tenantId: contoso.id, policyType: 'settingsCatalog', displayName: 'Edge hardening' }),
        expect.objectContaining({ id: windows.id, latestVersionId: windows.versionIds[1], missingSince: null }),
      ],
      nextCursor: null,
    });

    expect((await get(inContoso('/policies?policyType=deviceConfiguration'))).body.items?.map((policy) => policy.id)).toEqual([windows.id]);
    expect((await get(inContoso('/policies?search=HARDEN'))).body.items?.map((policy) => policy.id)).toEqual([edge.id]);

    const first = await get(inContoso('/policies?limit=1'));
    expect(first.body.items?.map((policy) => policy.id)).toEqual([edge.id]);
    const second = await get(inContoso(`/policies?limit=1&cursor=${first.body.nextCursor as string}`));
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: windows.id })], nextCursor: null });
  });

  it('reads one policy: what it is and its newest version', async () => {
    expect(await get(inContoso(`/policies/${windows.id}`))).toMatchObject({
      status: 200,
      body: { id: windows.id, tenantId: contoso.id, policyType: 'deviceConfiguration', displayName: 'Windows baseline', latestVersionId: windows.versionIds[1] },
    });
    expect(await get(inContoso(`/policies/${randomUUID()}`))).toMatchObject({ status: 404, body: { message: 'policy not found in this tenant' } });
    expect((await get(inContoso('/policies/not-a-uuid'))).status).toBe(400);
  });

  it("reads a policy's versions (newest first) and one version with its snapshot", async () => {
    const versions = await get(inContoso(`/policies/${windows.id}/versions`));
    expect(versions.status).toBe(200);
    expect(versions.body.items?.map((version) => version.id)).toEqual([...windows.versionIds].reverse());
    expect(versions.body.items?.[0]).not.toHaveProperty('snapshot');

    const version = await get(inContoso(`/policy-versions/${windows.versionIds[1]}`));
    expect(version).toMatchObject({
      status: 200,
      body: {
        id: windows.versionIds[1],
        policyId: windows.id,
        tenantId: contoso.id,
        displayName: 'Windows baseline',
        snapshot: { displayName: 'Windows baseline', passwordMinimumLength: 12, assignments: [{ target: { groupId: 'g1' } }] },
      },
    });
  });

  it('reads backup sets and their items, without snapshots', async () => {
    const sets = await get(inContoso('/backup-sets'));
    expect(sets).toMatchObject({ status: 200, body: { items: [{ id: contosoSetId, name: 'Nightly', itemCount: 2 }], nextCursor: null } });
    expect(await get(inContoso(`/backup-sets/${contosoSetId}`))).toMatchObject({ status: 200, body: { id: contosoSetId, status: 'complete' } });

    const items = await get(inContoso(`/backup-sets/${contosoSetId}/items?limit=1`));
    expect(items.status).toBe(200);
    expect(items.body.items).toEqual([expect.objectContaining({ policyId: windows.id, policyVersionId: windows.versionIds[1] })]);
    expect(items.body.items?.[0]).not.toHaveProperty('snapshot');
    const rest = await get(inContoso(`/backup-sets/${contosoSetId}/items?cursor=${items.body.nextCursor as string}`));
    expect(rest.body).toEqual({ items: [expect.objectContaining({ policyId: edge.id })], nextCursor: null });
  });

  it("answers 403 for another tenant's ids, through the other tenant and through the caller's own", async () => {
    const foreign = [
      `/policies/${windows.id}`,
      `/policies/${windows.id}/versions`,
      `/policy-versions/${windows.versionIds[0]}`,
      `/backup-sets/${contosoSetId}`,
      `/backup-sets/${contosoSetId}/items`,
    ];
    for (const path of foreign) {
      expect({ path, status: (await get(inFabrikam(path), fabrikamOwner)).status }).toEqual({ path, status: 403 });
      expect({ path, status: (await get(inContoso(path), fabrikamOwner)).status }).toEqual({ path, status: 403 });
    }
    expect((await get(inFabrikam(`/backup-sets/${contosoSetId}`), fabrikamOwner)).body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'you are not a member of this tenant',
    });
    expect((await get(inFabrikam('/policies'), fabrikamOwner)).body.items?.map((policy) => policy.id)).toEqual([fabrikamPolicy.id]);
    expect((await get(inFabrikam('/backup-sets'), fabrikamOwner)).body.items?.map((set) => set.id)).toEqual([fabrikamSetId]);
    expect((await get(inContoso(`/policies/${randomUUID()}/versions`))).status).toBe(404);
  });

  it("answers 400 for a cursor the store did not hand out (the worker's validation, passed on)", async () => {
    const response = await get(inContoso('/backup-sets?cursor=not-a-cursor'));
    expect(response).toEqual({ status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'cursor: is not a cursor this API returned' } });
  });
});

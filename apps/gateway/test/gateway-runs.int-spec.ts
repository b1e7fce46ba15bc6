// The gateway in-process against real Postgres and NATS, with a stand-in run-service on the real
// transport: what the gateway sends, and how it turns each kind of answer (or silence) into HTTP.
import request from 'supertest';
import { DEMO_TENANTS, RpcErrorCode, RunRpc, RunStatus, RunType, TenantRole } from '@policyvault/contracts';
import { waitFor } from '@policyvault/testing';
import { DEMO_USERS } from '../src/database/demo-directory.js';
import { startFakeRpcServer, type FakeRpcServer } from './fake-rpc-server.js';
import { startGatewayInProcess, tokenFor, type GatewayFixture } from './gateway.fixture.js';
import { runView } from './views.js';

const [contoso, fabrikam] = DEMO_TENANTS;
const owner = DEMO_USERS.find((user) => user.email === 'owner@contoso.test')!;
const RUN_ID = '6a1e7b52-0c3d-4e5f-8a9b-0c1d2e3f4a5b';
const POLICY_ID = '3f0f4a52-6c1e-4d0a-9b7e-2a1c3d4e5f60';
const RUN_SERVICE_TIMEOUT_MS = 400;
const MEMBERSHIP_CACHE_TTL_MS = 300;

describe('gateway runs API (in-process, stand-in run-service)', () => {
  let gateway: GatewayFixture;
  let runService: FakeRpcServer;
  let ownerToken: string;
  let readerToken: string;

  beforeAll(async () => {
    gateway = await startGatewayInProcess({
      RUN_SERVICE_TIMEOUT_MS: String(RUN_SERVICE_TIMEOUT_MS),
      MEMBERSHIP_CACHE_TTL_MS: String(MEMBERSHIP_CACHE_TTL_MS),
    });
    runService = await startFakeRpcServer(gateway.nats.namespace, 'run-service', Object.values(RunRpc));
    ownerToken = await tokenFor('owner@contoso.test');
    readerToken = await tokenFor('reader@contoso.test');
  });

  afterAll(async () => {
    await runService?.close().catch(() => undefined);
    await gateway?.close();
  });

  beforeEach(() => runService.state.reset());

  const runsPath = `/api/tenants/${contoso.id}/runs`;
  const post = (body: unknown, token = ownerToken) =>
    request(gateway.http).post(runsPath).set('Authorization', `Bearer ${token}`).send(body as object);
  const get = (path: string, token = ownerToken) => request(gateway.http).get(path).set('Authorization', `Bearer ${token}`);

  it('starts a run: 202, Location, and run-service gets the tenant, its directory and the initiator', async () => {
    const run = runView({ type: RunType.PolicyCaptureSnapshot, target: { policyId: POLICY_ID } });
    runService.state.answer(RunRpc.start, { reply: { run, reused: false } });

    const response = await post({ type: RunType.PolicyCaptureSnapshot, target: { policyId: POLICY_ID } }).expect(202);

    expect(response.headers.location).toBe(`${runsPath}/${run.id}`);
    expect(response.body).toEqual({ run, reused: false });
    expect(runService.state.calls).toEqual([
      {
        pattern: RunRpc.start,
        payload: {
          tenantId: contoso.id,
          tenantDirectoryId: contoso.directoryId,
          tenantDisplayName: contoso.displayName,
          type: RunType.PolicyCaptureSnapshot,
          target: { policyId: POLICY_ID },
          scope: {},
          initiator: { userId: owner.id, email: 'owner@contoso.test' },
        },
      },
    ]);
  });

  it('answers 200 without Location when run-service reuses an active run', async () => {
    runService.state.answer(RunRpc.start, { reply: { run: runView(), reused: true } });
    const response = await post({ type: RunType.InventorySync }).expect(200);
    expect(response.headers.location).toBeUndefined();
    expect(response.body.reused).toBe(true);
  });

  it('forwards list filters and paging with the tenant from the path, typed', async () => {
    runService.state.answer(RunRpc.list, { reply: { items: [runView()], nextCursor: 'next' } });
    const response = await get(`${runsPath}?status=queued&type=inventory.sync&limit=25&cursor=abc`, readerToken).expect(200);
    expect(response.body).toEqual({ items: [runView()], nextCursor: 'next' });
    expect(runService.state.calls[0].payload).toEqual({
      tenantId: contoso.id,
      status: RunStatus.Queued,
      type: RunType.InventorySync,
      limit: 25,
      cursor: 'abc',
    });
  });

  it('lets a reader read a run and its items', async () => {
    runService.state.answer(RunRpc.get, { reply: runView() });
    runService.state.answer(RunRpc.listItems, { reply: { items: [], nextCursor: null } });
    await get(`${runsPath}/${RUN_ID.toUpperCase()}`, readerToken).expect(200);
    await get(`${runsPath}/${RUN_ID}/items?limit=10`, readerToken).expect(200);
    expect(runService.state.calls.map((call) => call.payload)).toEqual([
      { tenantId: contoso.id, runId: RUN_ID },
      { tenantId: contoso.id, runId: RUN_ID, limit: 10 },
    ]);
  });

  it('maps run-service answers: not_found → 404, validation_failed → 400, internal_error → 502', async () => {
    runService.state.answer(RunRpc.get, { error: { code: RpcErrorCode.NotFound, message: 'run not found' } });
    const notFound = await get(`${runsPath}/${RUN_ID}`).expect(404);
    expect(notFound.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'run not found in this tenant' });

    runService.state.answer(RunRpc.start, { error: { code: RpcErrorCode.ValidationFailed, message: 'scope: too broad' } });
    expect((await post({ type: RunType.InventorySync }).expect(400)).body.message).toBe('scope: too broad');

    runService.state.answer(RunRpc.listItems, { error: { code: RpcErrorCode.Internal, message: 'relation does not exist' } });
    const failed = await get(`${runsPath}/${RUN_ID}/items`).expect(502);
    expect(failed.body.message).not.toMatch(/relation/);
  });

  it('cancels: run-service gets the requester and their role; its answers map to 200, 409, 403 and 404', async () => {
    runService.state.answer(RunRpc.cancel, { reply: runView({ status: RunStatus.Canceled, cancelRequested: true }) });
    const response = await request(gateway.http).post(`${runsPath}/${RUN_ID}/cancel`).set('Authorization', `Bearer ${ownerToken}`).expect(200);
    expect(response.body).toMatchObject({ status: 'canceled', cancelRequested: true });
    expect(runService.state.calls).toEqual([
      { pattern: RunRpc.cancel, payload: { tenantId: contoso.id, runId: RUN_ID, requestedBy: { userId: owner.id, email: owner.email }, requesterRole: TenantRole.Owner } },
    ]);
    const cancel = () => request(gateway.http).post(`${runsPath}/${RUN_ID}/cancel`).set('Authorization', `Bearer ${ownerToken}`);
    runService.state.answer(RunRpc.cancel, { error: { code: RpcErrorCode.Conflict, message: 'the run has already ended (succeeded)' } });
    expect((await cancel().expect(409)).body).toEqual({ statusCode: 409, error: 'Conflict', message: 'the run has already ended (succeeded)' });
    runService.state.answer(RunRpc.cancel, { error: { code: RpcErrorCode.Forbidden, message: 'only the user who started the run or a tenant owner may cancel it' } });
    await cancel().expect(403);
    runService.state.answer(RunRpc.cancel, { error: { code: RpcErrorCode.NotFound, message: 'run' } });
    expect((await cancel().expect(404)).body.message).toBe('run not found in this tenant');
  });

  it("passes a reader's cancel on with the reader role (run-service decides who may cancel) and answers its refusal with 403", async () => {
    const refusal = 'canceling a run needs the operator role in this tenant; you are reader';
    runService.state.answer(RunRpc.cancel, { error: { code: RpcErrorCode.Forbidden, message: refusal } });
    const reader = await request(gateway.http).post(`${runsPath}/${RUN_ID}/cancel`).set('Authorization', `Bearer ${readerToken}`).expect(403);
    expect(reader.body).toEqual({ statusCode: 403, error: 'Forbidden', message: refusal });
    expect(runService.state.calls.map((call) => call.payload.requesterRole)).toEqual([TenantRole.Reader]);
  });

  it('refuses any backup_schedule.run start before asking run-service', async () => {
    const scheduled = { type: RunType.BackupScheduleRun, target: { scheduleId: POLICY_ID, slot: '2026-01-01T02:00:00Z' }, scope: { scheduleName: 'x', keepLast: 1 } };
    expect((await post(scheduled).expect(400)).body.message).toBe('type: backup_schedule.run runs are started by their schedule');
    expect(runService.state.calls).toEqual([]);
  });

  it('answers 400 for a NUL character in the body, the query or a path parameter, and for a body nested 5,000 levels deep', async () => {
    const raw = (text: string) => request(gateway.http).post(runsPath).set('Authorization', `Bearer ${ownerToken}`).set('Content-Type', 'application/json').send(text);
    expect((await post({ type: RunType.InventorySync, target: { name: 'a\u0000b' } }).expect(400)).body.message).toBe('body: text must not contain NUL characters');
    expect((await raw(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`).expect(400)).body.message).toBe('body: nested deeper than 64 levels');
    expect((await raw('{"__proto__":{"isAdmin":true},"type":"inventory.sync"}').expect(400)).body.message).toBe('body: the field name __proto__ is not accepted');
    expect((await get(`${runsPath}?status=%00`).expect(400)).body.message).toBe('query: text must not contain NUL characters');
    expect((await get(`${runsPath}/${RUN_ID.slice(0, 8)}%00`).expect(400)).body.message).toBe('path: must not contain NUL characters');
    // A signed token with NUL in a claim never reaches the directory lookup (Postgres refuses NUL): 401.
    const nulToken = await tokenFor('owner@contoso.test', { subject: 'a\u0000b' });
    expect((await get(runsPath, nulToken).expect(401)).body.message).toBe('bearer token claims hold control characters');
    expect(runService.state.calls).toEqual([]);
  });

  describe('live restore confirmation', () => {
    const BACKUP_SET_ID = '9e8d7c6b-2222-4222-8222-000000000002';
    const PREVIEW_RUN_ID = '7b2e8c63-1d4e-4f60-9bac-1d2e3f4a5b6c';
    const execute = (confirmation?: object) => ({ type: RunType.RestoreExecute, target: { backupSetId: BACKUP_SET_ID }, scope: {}, ...(confirmation ? { confirmation } : {}) });
    const confirmationSent = () => runService.state.calls.map((call) => call.payload.confirmation);

    it("forwards the confirmation as the operator sent it, with the tenant's display name: run-service decides", async () => {
      runService.state.answer(RunRpc.start, { reply: { run: runView({ type: RunType.RestoreExecute }), reused: false } });
      await post(execute({ tenantName: ` ${contoso.displayName} ` })).expect(202);
      await post(execute({ previewRunId: PREVIEW_RUN_ID.toUpperCase() })).expect(202);
      await post(execute()).expect(202);
      expect(confirmationSent()).toEqual([{ tenantName: ` ${contoso.displayName} ` }, { previewRunId: PREVIEW_RUN_ID.toUpperCase() }, undefined]);
      expect(runService.state.calls.map((call) => call.payload.tenantDisplayName)).toEqual(Array(3).fill(contoso.displayName));
    });

    it.each([
      ['an unknown field', { tenantName: contoso.displayName, force: true }, 'confirmation.force: property force should not exist'],
      ['a preview id that is not a UUID', { previewRunId: 'latest' }, 'confirmation.previewRunId: must be a UUID'],
    ])('answers 400 for %s (the body\'s shape), before asking run-service', async (_, confirmation, message) => {
      const response = await post(execute(confirmation)).expect(400);
      expect([response.body.message].flat().join('\n')).toContain(message);
      expect(runService.state.calls).toEqual([]);
    });

    it("answers run-service's refusal of a confirmation with 400, its message as is", async () => {
      const refusal = "confirmation.tenantName: does not match the tenant's display name";
      runService.state.answer(RunRpc.start, { error: { code: RpcErrorCode.ValidationFailed, message: refusal } });
      const response = await post(execute({ tenantName: 'Fabrikam' })).expect(400);
      expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: refusal });
    });

    it('answers 403 to an operator before asking run-service (role first)', async () => {
      const operator = await post(execute({ tenantName: contoso.displayName }), await tokenFor('operator@contoso.test')).expect(403);
      expect(operator.body.message).toMatch(/needs the owner role/);
      expect(runService.state.calls).toEqual([]);
    });

    it("maps run-service's refusal of a preview id to 409, naming the field", async () => {
      runService.state.answer(RunRpc.start, { error: { code: RpcErrorCode.Conflict, message: 'confirmation.previewRunId: the preview has not succeeded (it is running)' } });
      const response = await post(execute({ previewRunId: PREVIEW_RUN_ID })).expect(409);
      expect(response.body).toEqual({ statusCode: 409, error: 'Conflict', message: 'confirmation.previewRunId: the preview has not succeeded (it is running)' });
    });
  });

  describe('cross-tenant restore (target.sourceTenantId)', () => {
    const BACKUP_SET_ID = '9e8d7c6b-3333-4333-8333-000000000003';
    const restore = (type: RunType, sourceTenantId?: string) => ({
      type,
      target: { backupSetId: BACKUP_SET_ID, ...(sourceTenantId === undefined ? {} : { sourceTenantId }) },
      scope: {},
      ...(type === RunType.RestoreExecute ? { confirmation: { tenantName: contoso.displayName } } : {}),
    });
    const targetsSent = () => runService.state.calls.map((call) => call.payload.target);

    /** A Contoso owner who also has `fabrikamRole` in Fabrikam. */
    async function contosoOwnerWithFabrikam(fabrikamRole: TenantRole): Promise<string> {
      const email = `owner-${fabrikamRole}-${Date.now().toString(36)}@contoso.test`;
      const { rows } = await gateway.database.pool.query<{ id: string }>(`INSERT INTO gateway.users (email) VALUES ($1) RETURNING id`, [email]);
      await gateway.database.pool.query(`INSERT INTO gateway.memberships (user_id, tenant_id, role) VALUES ($1, $2, $5), ($1, $3, $4)`, [
        rows[0].id,
        contoso.id,
        fabrikam.id,
        fabrikamRole,
        TenantRole.Owner,
      ]);
      return tokenFor(email);
    }

    beforeEach(() => runService.state.answer(RunRpc.start, { reply: { run: runView({ type: RunType.RestorePreview }), reused: false } }));

    it.each([RunType.RestorePreview, RunType.RestoreExecute])('%s: 403 naming target.sourceTenantId without a membership in the source tenant (or an unknown one), before run-service', async (type) => {
      for (const sourceTenantId of [fabrikam.id, '00000000-0000-4000-8000-00000000dead']) {
        const response = await post(restore(type, sourceTenantId)).expect(403);
        expect(response.body).toEqual({
          statusCode: 403,
          error: 'Forbidden',
          message: 'target.sourceTenantId: you are not a member of the tenant the backup set belongs to',
        });
      }
      expect(runService.state.calls).toEqual([]);
    });

    it('403 for a reader of the source tenant; accepted for an operator or owner there, the source id sent lower-cased', async () => {
      const reader = await post(restore(RunType.RestoreExecute, fabrikam.id), await contosoOwnerWithFabrikam(TenantRole.Reader)).expect(403);
      expect(reader.body.message).toBe("target.sourceTenantId: restoring from another tenant's backup set needs the operator role in that tenant; you are reader");
      expect(runService.state.calls).toEqual([]);

      await post(restore(RunType.RestorePreview, fabrikam.id.toUpperCase()), await contosoOwnerWithFabrikam(TenantRole.Operator)).expect(202);
      await post(restore(RunType.RestoreExecute, fabrikam.id), await contosoOwnerWithFabrikam(TenantRole.Owner)).expect(202);
      expect(targetsSent()).toEqual([
        { backupSetId: BACKUP_SET_ID, sourceTenantId: fabrikam.id },
        { backupSetId: BACKUP_SET_ID, sourceTenantId: fabrikam.id },
      ]);
    });

    it('treats a source id equal to the path tenant (any case) as absent: no check, not sent', async () => {
      await post(restore(RunType.RestorePreview, contoso.id.toUpperCase())).expect(202);
      await post(restore(RunType.RestoreExecute, contoso.id)).expect(202);
      expect(targetsSent()).toEqual([{ backupSetId: BACKUP_SET_ID }, { backupSetId: BACKUP_SET_ID }]);
    });

    it('checks the path role first (403), then the shape (400), then the source tenant', async () => {
      const operator = await post(restore(RunType.RestoreExecute, fabrikam.id), await tokenFor('operator@contoso.test')).expect(403);
      expect(operator.body.message).toMatch(/needs the owner role in this tenant/);
      const malformed = await post(restore(RunType.RestorePreview, 'fabrikam')).expect(400);
      expect(malformed.body.message).toEqual(['target.sourceTenantId: must be a UUID']);
      expect(runService.state.calls).toEqual([]);
    });
  });

  it('answers 503 (retryable) when run-service is too slow', async () => {
    runService.state.answer(RunRpc.start, { delayMs: RUN_SERVICE_TIMEOUT_MS * 3, reply: { run: runView(), reused: false } });
    const started = Date.now();
    const response = await post({ type: RunType.InventorySync }).expect(503);
    expect(Date.now() - started).toBeLessThan(RUN_SERVICE_TIMEOUT_MS * 3);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body.message).toBe(`run-service did not answer within ${RUN_SERVICE_TIMEOUT_MS} ms; try again`);
  });

  it('applies a revoked membership once the membership cache entry has expired', async () => {
    const email = 'revoked@contoso.test';
    const { rows } = await gateway.database.pool.query<{ id: string }>(
      `INSERT INTO gateway.users (email) VALUES ($1) RETURNING id`,
      [email],
    );
    await gateway.database.pool.query(`INSERT INTO gateway.memberships (user_id, tenant_id, role) VALUES ($1, $2, $3)`, [
      rows[0].id,
      contoso.id,
      TenantRole.Reader,
    ]);
    const token = await tokenFor(email);
    runService.state.answer(RunRpc.list, { reply: { items: [], nextCursor: null } });
    await get(runsPath, token).expect(200);

    await gateway.database.pool.query(`DELETE FROM gateway.memberships WHERE user_id = $1`, [rows[0].id]);
    await waitFor(
      async () => (await get(runsPath, token)).status,
      (status) => status === 403,
      { timeoutMs: MEMBERSHIP_CACHE_TTL_MS * 10, what: 'the revoked membership to answer 403' },
    );
  });

  it('answers 503 when no run-service is listening', async () => {
    await runService.close();
    const response = await post({ type: RunType.InventorySync }).expect(503);
    expect(response.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'run-service is not available; try again' });
  });
});

// Restore previews (from a stand-in restore-worker) and audit events (from a stand-in run-service),
// with the gateway in-process: who may read them, what the services are sent, and their answers as HTTP.
import request from 'supertest';
import { AuditRpc, DEMO_TENANTS, RestoreRpc, RpcErrorCode, type AuditEventView, type RestorePreviewPage } from '@policyvault/contracts';
import { startFakeRpcServer, type FakeRpcServer } from './fake-rpc-server.js';
import { startGatewayInProcess, tokenFor, type GatewayFixture } from './gateway.fixture.js';

const [contoso] = DEMO_TENANTS;
const RUN_ID = '6a1e7b52-0c3d-4e5f-8a9b-0c1d2e3f4a5b';
const SCHEDULE_ID = '4d3c2b1a-5555-4555-8555-000000000005';
const RESTORE_WORKER_TIMEOUT_MS = 300;

const PREVIEW: RestorePreviewPage = {
  runId: RUN_ID,
  backupSetId: '9e8d7c6b-2222-4222-8222-000000000002',
  computedAt: '2026-01-02T03:04:05.000Z',
  totals: { create: 0, update: 1, no_change: 0, skipped: 0, ambiguous: 0 },
  items: [
    {
      backupItemId: '5a4b3c2d-3333-4333-8333-000000000003',
      policyType: 'deviceConfiguration',
      displayName: 'Windows baseline',
      action: 'update',
      matchedBy: 'id',
      liveId: 'a1b2c3d4-0000-4000-8000-00000000beef',
      request: { method: 'PATCH', path: '/deviceManagement/deviceConfigurations/a1b2c3d4-0000-4000-8000-00000000beef', body: { passwordMinimumLength: 12 } },
      requests: [{ method: 'PATCH', path: '/deviceManagement/deviceConfigurations/a1b2c3d4-0000-4000-8000-00000000beef', body: { passwordMinimumLength: 12 }, purpose: 'update' }],
      differences: [{ path: 'passwordMinimumLength', live: 8, snapshot: 12 }],
      reason: null,
      ambiguity: null,
      unmapped: [],
    },
  ],
  nextCursor: 'next',
};

const AUDIT_EVENT: AuditEventView = {
  id: '42',
  tenantId: contoso.id,
  actor: 'owner@contoso.test',
  actorUserId: '5d1b7a10-0000-4000-8000-000000000001',
  action: 'backup_schedule.created',
  runId: null,
  scheduleId: SCHEDULE_ID,
  details: { name: 'Nightly' },
  occurredAt: '2026-01-02T03:04:05.000Z',
};

describe('gateway restore previews and audit events (in-process, stand-in restore-worker and run-service)', () => {
  let gateway: GatewayFixture;
  let restoreWorker: FakeRpcServer;
  let runService: FakeRpcServer;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    gateway = await startGatewayInProcess({ RESTORE_WORKER_TIMEOUT_MS: String(RESTORE_WORKER_TIMEOUT_MS) });
    restoreWorker = await startFakeRpcServer(gateway.nats.namespace, 'restore-worker', Object.values(RestoreRpc));
    runService = await startFakeRpcServer(gateway.nats.namespace, 'run-service', Object.values(AuditRpc));
    for (const email of ['owner@contoso.test', 'operator@contoso.test', 'reader@contoso.test', 'owner@fabrikam.test']) tokens[email] = await tokenFor(email);
  });

  afterAll(async () => {
    await restoreWorker?.close().catch(() => undefined);
    await runService?.close();
    await gateway?.close();
  });

  beforeEach(() => {
    restoreWorker.state.reset();
    runService.state.reset();
  });

  const get = (path: string, email: string) => request(gateway.http).get(path).set('Authorization', `Bearer ${tokens[email]}`);
  const previewPath = `/api/tenants/${contoso.id}/runs/${RUN_ID}/preview`;
  const auditPath = `/api/tenants/${contoso.id}/audit-events`;

  describe('GET …/runs/:runId/preview', () => {
    it('lets any member read a page of the preview; the restore-worker gets the tenant, the run and the paging', async () => {
      restoreWorker.state.answer(RestoreRpc.getPreview, { reply: PREVIEW });
      const response = await get(`${previewPath}?limit=20&cursor=abc`, 'reader@contoso.test').expect(200);
      expect(response.body).toEqual(PREVIEW);
      expect(restoreWorker.state.calls).toEqual([{ pattern: RestoreRpc.getPreview, payload: { tenantId: contoso.id, runId: RUN_ID, limit: 20, cursor: 'abc' } }]);
    });

    it('answers 404 for a preview not in the tenant, 400 for bad input and 403 for a non-member, the last two without asking', async () => {
      restoreWorker.state.answer(RestoreRpc.getPreview, { error: { code: RpcErrorCode.NotFound, message: 'no preview 42' } });
      expect((await get(previewPath, 'reader@contoso.test').expect(404)).body.message).toBe('restore preview not found in this tenant');
      restoreWorker.state.reset();
      expect((await get(`/api/tenants/${contoso.id}/runs/42/preview`, 'reader@contoso.test').expect(400)).body.message).toBe('runId: must be a UUID');
      expect((await get(`${previewPath}?limit=0`, 'reader@contoso.test').expect(400)).body.message).toEqual(['limit: must not be less than 1']);
      expect((await get(`${previewPath}?action=update`, 'reader@contoso.test').expect(400)).body.message).toEqual(['action: property action should not exist']);
      await get(previewPath, 'owner@fabrikam.test').expect(403);
      expect(restoreWorker.state.calls).toEqual([]);
    });

    it('answers 503 naming the restore-worker when it is too slow or absent', async () => {
      restoreWorker.state.answer(RestoreRpc.getPreview, { delayMs: RESTORE_WORKER_TIMEOUT_MS * 3, reply: PREVIEW });
      const slow = await get(previewPath, 'reader@contoso.test').expect(503);
      expect(slow.body.message).toBe(`restore-worker did not answer within ${RESTORE_WORKER_TIMEOUT_MS} ms; try again`);
      await restoreWorker.close();
      expect((await get(previewPath, 'reader@contoso.test').expect(503)).body.message).toBe('restore-worker is not available; try again');
    });
  });

  describe('GET …/audit-events', () => {
    it('lets an owner list, filtered by run or schedule; run-service gets the tenant and the filters', async () => {
      runService.state.answer(AuditRpc.list, { reply: { items: [AUDIT_EVENT], nextCursor: null } });
      const response = await get(`${auditPath}?scheduleId=${SCHEDULE_ID}&runId=${RUN_ID.toUpperCase()}&limit=5`, 'owner@contoso.test').expect(200);
      expect(response.body).toEqual({ items: [AUDIT_EVENT], nextCursor: null });
      expect(runService.state.calls).toEqual([
        { pattern: AuditRpc.list, payload: { tenantId: contoso.id, scheduleId: SCHEDULE_ID, runId: RUN_ID, limit: 5 } },
      ]);
    });

    it('refuses operators and readers (403) after the input checks (400), never asking run-service', async () => {
      for (const email of ['operator@contoso.test', 'reader@contoso.test']) {
        const response = await get(auditPath, email).expect(403);
        expect(response.body.message).toBe(`reading audit events needs the owner role in this tenant; you are ${email.split('@')[0]}`);
      }
      expect((await get(`${auditPath}?runId=r1`, 'reader@contoso.test').expect(400)).body.message).toEqual(['runId: must be a UUID']);
      expect((await get(`${auditPath}?action=x`, 'owner@contoso.test').expect(400)).body.message).toEqual(['action: property action should not exist']);
      await get(auditPath, 'owner@fabrikam.test').expect(403);
      expect(runService.state.calls).toEqual([]);
    });
  });
});

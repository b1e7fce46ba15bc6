// Notifications with the gateway in-process and a stand-in notifier on the real NATS transport:
// what the gateway sends (the caller's user id and current tenants), the tenant filter's 400/403,
// and how the notifier's answers map to HTTP.
import request from 'supertest';
import { DEMO_TENANTS, NotificationRpc, RpcErrorCode, RunStatus, RunType, type NotificationView } from '@policyvault/contracts';
import { DEMO_USERS } from '../src/database/demo-directory.js';
import { startFakeRpcServer, type FakeRpcServer } from './fake-rpc-server.js';
import { startGatewayInProcess, tokenFor, type GatewayFixture } from './gateway.fixture.js';

const [contoso, fabrikam] = DEMO_TENANTS;
const operator = DEMO_USERS.find((user) => user.email === 'operator@contoso.test')!;
const NOTIFICATION_ID = '8b2c1d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';

function notificationView(overrides: Partial<NotificationView> = {}): NotificationView {
  return {
    id: NOTIFICATION_ID,
    userId: operator.id,
    tenantId: contoso.id,
    kind: null,
    runId: '6a1e7b52-0c3d-4e5f-8a9b-0c1d2e3f4a5b',
    runType: RunType.BackupSetCreate,
    status: RunStatus.Succeeded,
    title: 'Backup set "Nightly" finished',
    body: '12 policies captured.',
    error: null,
    link: `https://policyvault.example/tenants/${contoso.id}/runs/6a1e7b52-0c3d-4e5f-8a9b-0c1d2e3f4a5b`,
    createdAt: '2026-01-02T03:04:05.000Z',
    readAt: null,
    ...overrides,
  };
}

describe('gateway notifications API (in-process, stand-in notifier)', () => {
  let gateway: GatewayFixture;
  let notifier: FakeRpcServer;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    gateway = await startGatewayInProcess({ NOTIFIER_TIMEOUT_MS: '300' });
    notifier = await startFakeRpcServer(gateway.nats.namespace, 'notifier', Object.values(NotificationRpc));
    for (const email of ['operator@contoso.test', 'owner@fabrikam.test', 'stranger@nowhere.test']) tokens[email] = await tokenFor(email);
  });

  afterAll(async () => {
    await notifier?.close().catch(() => undefined);
    await gateway?.close();
  });

  beforeEach(() => notifier.state.reset());

  const get = (path: string, email = 'operator@contoso.test') => request(gateway.http).get(path).set('Authorization', `Bearer ${tokens[email]}`);
  const post = (path: string, email = 'operator@contoso.test') => request(gateway.http).post(path).set('Authorization', `Bearer ${tokens[email]}`);

  it("lists the caller's notifications: their user id, their current tenants, the filters typed", async () => {
    const page = { items: [notificationView()], nextCursor: 'next', unreadCount: 3 };
    notifier.state.answer(NotificationRpc.list, { reply: page });
    const response = await get(`/api/notifications?tenantId=${contoso.id.toUpperCase()}&unreadOnly=true&limit=5&cursor=abc`).expect(200);
    expect(response.body).toEqual(page);
    expect(notifier.state.calls).toEqual([
      {
        pattern: NotificationRpc.list,
        payload: { userId: operator.id, visibleTenantIds: [contoso.id], tenantId: contoso.id, unreadOnly: true, limit: 5, cursor: 'abc' },
      },
    ]);
    await get('/api/notifications').expect(200);
    expect(notifier.state.calls[1].payload).toEqual({ userId: operator.id, visibleTenantIds: [contoso.id] });
  });

  it("answers 403 for a tenant filter the caller does not belong to, 400 for a malformed one, before asking the notifier", async () => {
    expect((await get(`/api/notifications?tenantId=${fabrikam.id}`).expect(403)).body.message).toBe('you are not a member of this tenant');
    expect((await get('/api/notifications?tenantId=contoso').expect(400)).body.message).toBe('tenantId: must be a UUID');
    expect((await post('/api/notifications/read-all').send({ tenantId: fabrikam.id }).expect(403)).body.message).toBe('you are not a member of this tenant');
    expect((await get('/api/notifications?unreadOnly=yes').expect(400)).body.message).toEqual(['unreadOnly: must be a boolean value']);
    expect((await get('/api/notifications?userId=x').expect(400)).body.message).toEqual(['userId: property userId should not exist']);
    expect((await post('/api/notifications/read-all').send({ userId: operator.id }).expect(400)).body.message).toEqual(['userId: property userId should not exist']);
    expect((await post('/api/notifications/42/read').expect(400)).body.message).toBe('notificationId: must be a UUID');
    expect(notifier.state.calls).toEqual([]);
  });

  it('gives a caller without memberships nothing, without asking the notifier; one notification by its id, as for anyone', async () => {
    expect((await get('/api/notifications', 'stranger@nowhere.test').expect(200)).body).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
    expect((await post('/api/notifications/read-all', 'stranger@nowhere.test').expect(200)).body).toEqual({ markedRead: 0, unreadCount: 0 });
    expect(notifier.state.calls).toEqual([]);
    notifier.state.answer(NotificationRpc.markRead, { error: { code: RpcErrorCode.OtherTenant, message: 'notification not found', tenantId: contoso.id } });
    expect((await post(`/api/notifications/${NOTIFICATION_ID}/read`, 'stranger@nowhere.test').expect(403)).body.message).toBe('you are not a member of this tenant');
    expect(notifier.state.calls).toEqual([
      { pattern: NotificationRpc.markRead, payload: { userId: '00000000-0000-0000-0000-000000000000', visibleTenantIds: [], notificationId: NOTIFICATION_ID } },
    ]);
  });

  it("maps the notifier's other_tenant: 403 when the caller cannot see the notification's tenant, 404 when they can (another user's)", async () => {
    notifier.state.answer(NotificationRpc.markRead, { error: { code: RpcErrorCode.OtherTenant, message: 'notification not found', tenantId: contoso.id } });
    const forbidden = await post(`/api/notifications/${NOTIFICATION_ID}/read`, 'owner@fabrikam.test').expect(403);
    expect(forbidden.body).toEqual({ statusCode: 403, error: 'Forbidden', message: 'you are not a member of this tenant' });
    const notHers = await post(`/api/notifications/${NOTIFICATION_ID}/read`).expect(404);
    expect(notHers.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'notification not found' });
  });

  it('marks one read; the notifier\'s not_found (no such notification) is a 404', async () => {
    notifier.state.answer(NotificationRpc.markRead, { reply: notificationView({ readAt: '2026-01-02T04:00:00.000Z' }) });
    const response = await post(`/api/notifications/${NOTIFICATION_ID.toUpperCase()}/read`).expect(200);
    expect(response.body.readAt).toBe('2026-01-02T04:00:00.000Z');
    expect(notifier.state.calls[0].payload).toEqual({ userId: operator.id, visibleTenantIds: [contoso.id], notificationId: NOTIFICATION_ID });

    notifier.state.answer(NotificationRpc.markRead, { error: { code: RpcErrorCode.NotFound, message: 'notification not found' } });
    const missing = await post(`/api/notifications/${NOTIFICATION_ID}/read`, 'owner@fabrikam.test').expect(404);
    expect(missing.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'notification not found' });
  });

  it('marks all read, with or without a body, optionally in one tenant', async () => {
    notifier.state.answer(NotificationRpc.markAllRead, { reply: { markedRead: 2, unreadCount: 0 } });
    expect((await post('/api/notifications/read-all').expect(200)).body).toEqual({ markedRead: 2, unreadCount: 0 });
    await post('/api/notifications/read-all').send({ tenantId: contoso.id }).expect(200);
    await post('/api/notifications/read-all').set('Content-Type', 'text/plain').send('everything').expect(400);
    expect(notifier.state.calls.map((call) => call.payload)).toEqual([
      { userId: operator.id, visibleTenantIds: [contoso.id] },
      { userId: operator.id, visibleTenantIds: [contoso.id], tenantId: contoso.id },
    ]);
  });

  it('answers 503 when the notifier is silent, and 401 without a token', async () => {
    await request(gateway.http).get('/api/notifications').expect(401);
    notifier.state.answer(NotificationRpc.list, { delayMs: 1000, reply: { items: [], nextCursor: null, unreadCount: 0 } });
    const response = await get('/api/notifications').expect(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body.message).toBe('notifier did not answer within 300 ms; try again');
  });
});

// Backup schedules with the gateway in-process and a stand-in run-service: shapes and roles checked
// before the call, what run-service is sent, and its answers mapped to HTTP.
import request from 'supertest';
import { BackupScheduleRpc, DEMO_TENANTS, RpcErrorCode, type BackupScheduleView } from '@policyvault/contracts';
import { DEMO_USERS } from '../src/database/demo-directory.js';
import { startFakeRpcServer, type FakeRpcServer } from './fake-rpc-server.js';
import { startGatewayInProcess, tokenFor, type GatewayFixture } from './gateway.fixture.js';

const [contoso, fabrikam] = DEMO_TENANTS;
const owner = DEMO_USERS.find((user) => user.email === 'owner@contoso.test')!;
const SCHEDULE_ID = '4d3c2b1a-5555-4555-8555-000000000005';
const FIELDS = { name: 'Nightly', frequency: 'weekly', daysOfWeek: ['monday', 'thursday'], timeOfDay: '02:30', timeZone: 'Europe/Berlin', policyTypes: ['deviceConfiguration'], keepLast: 7, includeFoundations: true, enabled: true };

function scheduleView(overrides: Partial<BackupScheduleView> = {}): BackupScheduleView {
  return {
    id: SCHEDULE_ID,
    tenantId: contoso.id,
    name: 'Nightly',
    enabled: true,
    frequency: 'weekly',
    daysOfWeek: ['monday', 'thursday'],
    timeOfDay: '02:30',
    timeZone: 'Europe/Berlin',
    policyTypes: ['deviceConfiguration'],
    keepLast: 7,
    pausedAt: null,
    includeFoundations: true,
    action: 'backup',
    nextRunAt: '2026-01-05T01:30:00.000Z',
    createdAt: '2026-01-02T03:04:05.000Z',
    updatedAt: '2026-01-02T03:04:05.000Z',
    ...overrides,
  };
}

describe('gateway backup schedules API (in-process, stand-in run-service)', () => {
  let gateway: GatewayFixture;
  let runService: FakeRpcServer;
  const tokens: Record<string, string> = {};
  const base = `/api/tenants/${contoso.id}/backup-schedules`;

  beforeAll(async () => {
    gateway = await startGatewayInProcess();
    runService = await startFakeRpcServer(gateway.nats.namespace, 'run-service', Object.values(BackupScheduleRpc));
    for (const email of ['owner@contoso.test', 'operator@contoso.test', 'reader@contoso.test', 'owner@fabrikam.test']) tokens[email] = await tokenFor(email);
  });

  afterAll(async () => {
    await runService?.close();
    await gateway?.close();
  });

  beforeEach(() => runService.state.reset());

  const as = (email: string) => ({
    get: (path: string) => request(gateway.http).get(path).set('Authorization', `Bearer ${tokens[email]}`),
    post: (path: string, body: object) => request(gateway.http).post(path).set('Authorization', `Bearer ${tokens[email]}`).send(body),
    patch: (path: string, body: object) => request(gateway.http).patch(path).set('Authorization', `Bearer ${tokens[email]}`).send(body),
    delete: (path: string) => request(gateway.http).delete(path).set('Authorization', `Bearer ${tokens[email]}`),
  });
  const owners = as('owner@contoso.test');

  it('creates: 201, Location, and run-service gets the tenant, its directory, the requester and the fields', async () => {
    runService.state.answer(BackupScheduleRpc.create, { reply: scheduleView() });
    const response = await owners.post(base, FIELDS).expect(201);
    expect(response.headers.location).toBe(`${base}/${SCHEDULE_ID}`);
    expect(response.body).toEqual(scheduleView());
    expect(runService.state.calls).toEqual([
      {
        pattern: BackupScheduleRpc.create,
        payload: { tenantId: contoso.id, tenantDirectoryId: contoso.directoryId, requestedBy: { userId: owner.id, email: owner.email }, schedule: FIELDS },
      },
    ]);
  });

  it.each([
    [{ ...FIELDS, name: undefined }, 'name: is required'],
    [{ ...FIELDS, keepLast: undefined }, 'keepLast: is required'],
    [{ ...FIELDS, timeZone: 'Mars/Olympus' }, 'timeZone: must be an IANA time zone such as Europe/Berlin'],
    [{ ...FIELDS, timeOfDay: '24:00' }, 'timeOfDay: must be HH:mm (24-hour)'],
    [{ ...FIELDS, frequency: 'hourly' }, 'frequency: must be one of the following values: daily, weekly'],
    [{ ...FIELDS, daysOfWeek: ['someday'] }, 'daysOfWeek: each value in daysOfWeek must be one of the following values'],
    [{ ...FIELDS, keepLast: 0 }, 'keepLast: must not be less than 1'],
    [{ ...FIELDS, owner: 'me' }, 'owner: property owner should not exist'],
  ])('refuses a malformed schedule before asking run-service (%#)', async (body, message) => {
    const response = await owners.post(base, body).expect(400);
    expect([response.body.message].flat().join('\n')).toContain(message);
    expect(runService.state.calls).toEqual([]);
  });

  it("passes run-service's semantic validation on as a 400 naming the field, and its 404", async () => {
    runService.state.answer(BackupScheduleRpc.create, {
      error: { code: RpcErrorCode.ValidationFailed, message: 'schedule.daysOfWeek: a weekly schedule needs at least one day; schedule.policyTypes.0: unknown policy type "x"' },
    });
    expect((await owners.post(base, { ...FIELDS, daysOfWeek: [] }).expect(400)).body.message).toBe(
      'daysOfWeek: a weekly schedule needs at least one day; policyTypes.0: unknown policy type "x"',
    );
    runService.state.answer(BackupScheduleRpc.get, { error: { code: RpcErrorCode.NotFound, message: 'schedule' } });
    expect((await owners.get(`${base}/${SCHEDULE_ID}`).expect(404)).body.message).toBe('backup schedule not found in this tenant');
  });

  it('lets any member read schedules and their runs; paging typed', async () => {
    runService.state.answer(BackupScheduleRpc.list, { reply: { items: [scheduleView()], nextCursor: null } });
    runService.state.answer(BackupScheduleRpc.get, { reply: scheduleView() });
    runService.state.answer(BackupScheduleRpc.listRuns, { reply: { items: [], nextCursor: null } });
    const reader = as('reader@contoso.test');
    await reader.get(`${base}?limit=10`).expect(200);
    await reader.get(`${base}/${SCHEDULE_ID}`).expect(200);
    await reader.get(`${base}/${SCHEDULE_ID}/runs?cursor=abc`).expect(200);
    expect(runService.state.calls.map((call) => call.payload)).toEqual([
      { tenantId: contoso.id, limit: 10 },
      { tenantId: contoso.id, scheduleId: SCHEDULE_ID },
      { tenantId: contoso.id, scheduleId: SCHEDULE_ID, cursor: 'abc' },
    ]);
  });

  it('changes (partial) and deletes (204) as an owner', async () => {
    runService.state.answer(BackupScheduleRpc.update, { reply: scheduleView({ enabled: false, nextRunAt: null }) });
    runService.state.answer(BackupScheduleRpc.delete, { reply: { deleted: true } });
    expect((await owners.patch(`${base}/${SCHEDULE_ID}`, { enabled: false }).expect(200)).body.enabled).toBe(false);
    await owners.delete(`${base}/${SCHEDULE_ID}`).expect(204);
    const requestedBy = { userId: owner.id, email: owner.email };
    expect(runService.state.calls.map((call) => call.payload)).toEqual([
      { tenantId: contoso.id, scheduleId: SCHEDULE_ID, requestedBy, changes: { enabled: false } },
      { tenantId: contoso.id, scheduleId: SCHEDULE_ID, requestedBy },
    ]);
    expect((await owners.patch(`${base}/${SCHEDULE_ID}`, {}).expect(400)).body.message).toBe('body: must change at least one field');
    expect((await owners.patch(`${base}/${SCHEDULE_ID}`, { timeZone: 'Nowhere' }).expect(400)).body.message).toEqual([
      'timeZone: must be an IANA time zone such as Europe/Berlin',
    ]);
  });

  it("refuses operators and readers (403), and another tenant's members (403), before asking run-service", async () => {
    for (const email of ['operator@contoso.test', 'reader@contoso.test']) {
      const caller = as(email);
      expect((await caller.post(base, FIELDS).expect(403)).body.message).toBe(`managing backup schedules needs the owner role in this tenant; you are ${email.split('@')[0]}`);
      await caller.patch(`${base}/${SCHEDULE_ID}`, { enabled: false }).expect(403);
      await caller.delete(`${base}/${SCHEDULE_ID}`).expect(403);
    }
    const stranger = as('owner@fabrikam.test');
    await stranger.get(base).expect(403);
    await stranger.get(`${base}/${SCHEDULE_ID}/runs`).expect(403);
    await stranger.post(base, FIELDS).expect(403);
    await as('owner@fabrikam.test').get(`/api/tenants/${fabrikam.id}/backup-schedules/not-a-uuid`).expect(400);
    expect(runService.state.calls).toEqual([]);
  });
});

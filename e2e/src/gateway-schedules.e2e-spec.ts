// Backup schedules and audit events through the gateway against the real run-service (processes from
// dist/), its scheduler on a manual clock (SCHEDULER_CLOCK=manual: nothing fires by itself; the test
// dispatches a slot over BackupScheduleRpc.dispatch). Create, read, change, delete; input refused
// with the field named; owners only for changes and audit; another tenant's schedule is a 403.
import { randomUUID } from 'node:crypto';
import { BackupScheduleRpc, type AuditEventView, type BackupSchedulePreview, type BackupScheduleView, type DispatchSchedulesReply, type Page, type ScheduleRunView } from '@policyvault/contracts';
import { CONTOSO, FABRIKAM, connectNatsRpc, startStack, type NatsRpc, type Stack } from '@policyvault/testing';

const NIGHTLY = { name: 'Nightly', frequency: 'daily', timeOfDay: '02:00', timeZone: 'Europe/Berlin', policyTypes: ['deviceConfiguration'], keepLast: 7 };

interface Answer<T> {
  status: number;
  headers: Headers;
  body: T & { message?: string | string[] };
}

describe('backup schedules and audit events (gateway + run-service processes, manual scheduler clock)', () => {
  let stack: Stack;
  let rpc: NatsRpc;
  const tokens: Record<string, string> = {};
  const schedules = `/api/tenants/${CONTOSO.id}/backup-schedules`;

  beforeAll(async () => {
    stack = await startStack({ services: ['run-service', 'gateway'], env: { SCHEDULER_CLOCK: 'manual' } });
    rpc = await connectNatsRpc(stack.nats.namespace);
    for (const email of ['owner@contoso.test', 'operator@contoso.test', 'reader@contoso.test', 'owner@fabrikam.test']) tokens[email] = await stack.token(email);
  }, 90_000);

  afterAll(async () => {
    await rpc?.close();
    await stack?.close();
  });

  async function api<T = Record<string, unknown>>(method: string, path: string, email: string, body?: object): Promise<Answer<T>> {
    const response = await fetch(`${stack.gatewayUrl}${path}`, {
      method: method.toUpperCase(),
      headers: { authorization: `Bearer ${tokens[email]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Answer<T>['body'] };
  }
  const messageOf = (answer: Answer<unknown>) => [answer.body.message].flat().join('\n');

  it('creates (201, Location), lists, reads, dispatches a slot, lists its runs, and deletes (204); each step audited', async () => {
    const created = await api<BackupScheduleView>('post', schedules, 'owner@contoso.test', NIGHTLY);
    expect(created.status).toBe(201);
    const schedule = created.body;
    expect(schedule).toMatchObject({ ...NIGHTLY, tenantId: CONTOSO.id, enabled: true, daysOfWeek: [], nextRunAt: expect.any(String) });
    const location = created.headers.get('location')!;
    expect(location).toBe(`${schedules}/${schedule.id}`);

    expect(await api('get', location, 'reader@contoso.test')).toMatchObject({ status: 200, body: { id: schedule.id, name: 'Nightly' } });
    const listed = await api<Page<BackupScheduleView>>('get', `${schedules}?limit=10`, 'reader@contoso.test');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item) => item.id)).toContain(schedule.id);

    // The scheduler's clock is manual: dispatch exactly at the schedule's next slot.
    const dispatched = await rpc.request<DispatchSchedulesReply>(BackupScheduleRpc.dispatch, { now: schedule.nextRunAt });
    expect(dispatched.dispatched).toBeGreaterThanOrEqual(1);
    const runs = await api<Page<ScheduleRunView>>('get', `${location}/runs`, 'reader@contoso.test');
    expect(runs.status).toBe(200);
    expect(runs.body.items).toEqual([expect.objectContaining({ scheduleId: schedule.id, slot: schedule.nextRunAt, runId: expect.any(String), runStatus: 'queued' })]);

    expect((await api('delete', location, 'owner@contoso.test')).status).toBe(204);
    expect(await api('get', location, 'owner@contoso.test')).toMatchObject({ status: 404, body: { message: 'backup schedule not found in this tenant' } });

    const audit = await api<Page<AuditEventView>>('get', `/api/tenants/${CONTOSO.id}/audit-events?scheduleId=${schedule.id}`, 'owner@contoso.test');
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((event) => event.action)).toEqual(
      expect.arrayContaining(['backup_schedule.created', 'backup_schedule.dispatched', 'backup_schedule.deleted']),
    );
    expect(audit.body.items.find((event) => event.action === 'backup_schedule.created')).toMatchObject({
      tenantId: CONTOSO.id,
      actor: 'owner@contoso.test',
      scheduleId: schedule.id,
    });
  });

  it('changes any subset of a schedule (200), audited as backup_schedule.updated', async () => {
    const created = await api<BackupScheduleView>('post', schedules, 'owner@contoso.test', { ...NIGHTLY, name: `Changing ${randomUUID()}` });
    expect(created.status).toBe(201);
    const path = `${schedules}/${created.body.id}`;
    const changed = await api<BackupScheduleView>('patch', path, 'owner@contoso.test', { frequency: 'weekly', daysOfWeek: ['monday'], keepLast: 3 });
    expect(changed).toMatchObject({ status: 200, body: { id: created.body.id, frequency: 'weekly', daysOfWeek: ['monday'], keepLast: 3, name: created.body.name } });
    expect(await api('patch', path, 'owner@contoso.test', { enabled: false })).toMatchObject({ status: 200, body: { enabled: false, nextRunAt: null } });
    const audit = await api<Page<AuditEventView>>('get', `/api/tenants/${CONTOSO.id}/audit-events?scheduleId=${created.body.id}`, 'owner@contoso.test');
    expect(audit.body.items.filter((event) => event.action === 'backup_schedule.updated')).toHaveLength(2);
  });

  it.each([
    ['an unknown time zone', { ...NIGHTLY, timeZone: 'Europe/Atlantis' }, 'timeZone: must be an IANA time zone'],
    ['a weekly schedule without days', { ...NIGHTLY, frequency: 'weekly' }, 'daysOfWeek: a weekly schedule needs at least one day'],
    ['an unknown policy type', { ...NIGHTLY, policyTypes: ['deviceConfiguration', 'toasterSettings'] }, 'policyTypes.1: unknown policy type "toasterSettings"'],
    ['keepLast 0', { ...NIGHTLY, keepLast: 0 }, 'keepLast: must not be less than 1'],
  ])('refuses %s with a 400 naming the field', async (_, body, message) => {
    const answer = await api('post', schedules, 'owner@contoso.test', body);
    expect(answer).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request' } });
    expect(messageOf(answer)).toContain(message);
  });

  it('refuses an operator (403) and answers another tenant’s schedule with 403 (through the caller’s own tenant too)', async () => {
    const operator = await api('post', schedules, 'operator@contoso.test', NIGHTLY);
    expect(operator).toMatchObject({ status: 403, body: { message: 'managing backup schedules needs the owner role in this tenant; you are operator' } });

    const created = await api<BackupScheduleView>('post', schedules, 'owner@contoso.test', { ...NIGHTLY, name: `Isolated ${randomUUID()}` });
    expect(created.status).toBe(201);
    const stranger = 'owner@fabrikam.test';
    for (const [method, path] of [
      ['get', `${schedules}/${created.body.id}`],
      ['get', `${schedules}/${created.body.id}/runs`],
      ['patch', `${schedules}/${created.body.id}`],
      ['delete', `${schedules}/${created.body.id}`],
    ]) {
      const answer = await api(method, path, stranger, method === 'patch' ? { enabled: false } : undefined);
      expect({ method, path, status: answer.status, message: answer.body.message }).toEqual({ method, path, status: 403, message: 'you are not a member of this tenant' });
    }
    expect((await api('get', `/api/tenants/${FABRIKAM.id}/backup-schedules/${created.body.id}`, stranger)).status).toBe(403);
    expect((await api<BackupScheduleView>('get', `${schedules}/${created.body.id}`, 'reader@contoso.test')).body.enabled).toBe(true);
  });

  it("previews a draft's next five run times with the scheduler's own code and clock, daylight saving included", async () => {
    // The manual clock says 27 March 2026 (a Friday); Berlin springs forward on Sunday the 29th, when 02:30 does not exist.
    await rpc.request<DispatchSchedulesReply>(BackupScheduleRpc.dispatch, { now: '2026-03-27T12:00:00.000Z' });
    const preview = `${schedules}/preview`;
    const daily = await api<BackupSchedulePreview>('post', preview, 'reader@contoso.test', { frequency: 'daily', timeOfDay: '02:30', timeZone: 'Europe/Berlin' });
    expect(daily).toMatchObject({ status: 200, body: { timeZone: 'Europe/Berlin' } });
    expect(daily.body.nextRunTimes).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:30:00.000Z', // 02:30 skipped by the clock change: 03:30 CEST
      '2026-03-30T00:30:00.000Z',
      '2026-03-31T00:30:00.000Z',
      '2026-04-01T00:30:00.000Z',
    ]);
    const weekly = await api<BackupSchedulePreview>('post', preview, 'owner@contoso.test', {
      frequency: 'weekly',
      daysOfWeek: ['monday', 'friday'],
      timeOfDay: '23:15',
      timeZone: 'America/New_York',
    });
    expect(weekly.body.nextRunTimes).toEqual([
      '2026-03-28T03:15:00.000Z', // Friday 27 March, 23:15 EDT
      '2026-03-31T03:15:00.000Z',
      '2026-04-04T03:15:00.000Z',
      '2026-04-07T03:15:00.000Z',
      '2026-04-11T03:15:00.000Z',
    ]);
  });

  it.each([
    ['a weekly draft without days', { frequency: 'weekly', timeOfDay: '02:00', timeZone: 'Europe/Berlin' }, 'daysOfWeek: a weekly schedule needs at least one day'],
    ['a draft without a time of day', { frequency: 'daily', timeZone: 'Europe/Berlin' }, 'timeOfDay: is required'],
    ['an unknown time zone', { frequency: 'daily', timeOfDay: '02:00', timeZone: 'Europe/Atlantis' }, 'timeZone: must be an IANA time zone'],
    ['a time of day out of range', { frequency: 'daily', timeOfDay: '24:00', timeZone: 'UTC' }, 'timeOfDay: must be HH:mm (24-hour)'],
  ])('refuses to preview %s with a 400 naming the field', async (_, body, message) => {
    const answer = await api('post', `${schedules}/preview`, 'owner@contoso.test', body);
    expect(answer).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request' } });
    expect(messageOf(answer)).toContain(message);
  });

  it('lets only owners read audit events', async () => {
    for (const email of ['operator@contoso.test', 'reader@contoso.test']) {
      expect((await api('get', `/api/tenants/${CONTOSO.id}/audit-events`, email)).status).toBe(403);
    }
    expect((await api('get', `/api/tenants/${CONTOSO.id}/audit-events`, 'owner@fabrikam.test')).status).toBe(403);
    const own = await api<Page<AuditEventView>>('get', `/api/tenants/${FABRIKAM.id}/audit-events`, 'owner@fabrikam.test');
    expect(own).toMatchObject({ status: 200, body: { items: [], nextCursor: null } });
  });
});

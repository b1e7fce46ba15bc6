// Backup schedules with a controllable clock (SCHEDULER_CLOCK=manual): run-service processes for
// real, the dispatcher told what time it is through BackupScheduleRpc.dispatch.
import { randomUUID } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import {
  AuditRpc,
  BackupScheduleRpc,
  RunStatus,
  type AuditEventView,
  type BackupScheduleFields,
  type BackupScheduleView,
  type DispatchSchedulesReply,
  type Page,
  type ScheduleRunView,
} from '@policyvault/contracts';
import { createRunServiceFixture, TENANT_ID, type RunServiceFixture } from './run-service.fixture.js';

const OWNER = { userId: '22222222-2222-4222-8222-222222222222', email: 'owner@contoso.test' };

describe('backup schedules (two run-service replicas, manual clock)', () => {
  let fixture: RunServiceFixture;

  beforeAll(async () => {
    // No sweep within a test: a follow-up run's command or an alert reaches the stream by the pass its transaction kicks.
    fixture = await createRunServiceFixture(2, { SCHEDULER_CLOCK: 'manual', OUTBOX_POLL_INTERVAL_MS: '60000' });
  });

  afterAll(async () => {
    await fixture?.close();
  });

  const rpc = <T>(pattern: string, payload: object) => firstValueFrom(fixture.rpc.send<T>(pattern, payload));
  const create = (schedule: BackupScheduleFields) =>
    rpc<BackupScheduleView>(BackupScheduleRpc.create, { tenantId: TENANT_ID, tenantDirectoryId: 'directory-1', requestedBy: OWNER, schedule });
  const dispatch = (now: string) => rpc<DispatchSchedulesReply>(BackupScheduleRpc.dispatch, { now });
  const slots = async (scheduleId: string) =>
    (await rpc<Page<ScheduleRunView>>(BackupScheduleRpc.listRuns, { tenantId: TENANT_ID, scheduleId, limit: 200 })).items.reverse();
  const nightly = (overrides: BackupScheduleFields = {}): BackupScheduleFields => ({
    name: `Nightly ${randomUUID().slice(0, 8)}`,
    frequency: 'daily',
    timeOfDay: '02:30',
    timeZone: 'Europe/Berlin',
    policyTypes: ['deviceConfiguration', 'compliancePolicy'],
    keepLast: 3,
    ...overrides,
  });

  /** Ends every run the dispatcher started (as a capture-worker would), so the next slot may run. */
  async function finishActiveRuns(): Promise<void> {
    const { rows } = await fixture.database.pool.query<{ id: string }>(
      `SELECT id FROM run_service.runs WHERE type = 'backup_schedule.run' AND status IN ('queued', 'running')`,
    );
    const occurredAt = new Date().toISOString();
    for (const { id } of rows) {
      await fixture.publishWorkerEvent('runFinished', { runId: id, tenantId: TENANT_ID, outcome: 'completed', itemCount: 0, occurredAt });
    }
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const active = await fixture.database.pool.query(`SELECT 1 FROM run_service.runs WHERE type = 'backup_schedule.run' AND status IN ('queued', 'running')`);
      if (active.rowCount === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('schedule runs did not finish');
  }

  it('rejects invalid schedules, naming the field', async () => {
    const invalid: [BackupScheduleFields, string][] = [
      [nightly({ timeZone: 'Mars/Olympus_Mons' }), 'schedule.timeZone'],
      [nightly({ frequency: 'weekly', daysOfWeek: [] }), 'schedule.daysOfWeek'],
      [nightly({ policyTypes: ['deviceConfiguration', 'notARealPolicyType'] }), 'schedule.policyTypes.1'],
      [nightly({ keepLast: 0 }), 'keepLast'],
      [{ name: 'no time' }, 'schedule.timeOfDay'],
    ];
    for (const [schedule, field] of invalid) {
      await expect(create(schedule)).rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining(field) });
    }
  });

  it('fires a daily 02:30 Europe/Berlin schedule once per day across both DST changes, at the right instant', async () => {
    const schedule = await create(nightly());
    // Ticks just before, just after and well after each expected slot; on the autumn day also after
    // the second 02:30 (CET), which must not fire again.
    const ticks = [
      '2027-03-27T01:29:00Z', '2027-03-27T01:30:20Z', '2027-03-27T02:30:00Z',
      '2027-03-28T00:30:20Z', '2027-03-28T01:29:00Z', '2027-03-28T01:30:20Z', '2027-03-28T03:00:00Z',
      '2027-03-29T00:29:00Z', '2027-03-29T00:30:20Z',
      '2027-10-30T00:30:20Z',
      '2027-10-31T00:29:00Z', '2027-10-31T00:30:20Z', '2027-10-31T01:30:20Z', '2027-10-31T02:00:00Z',
      '2027-11-01T00:30:20Z', '2027-11-01T01:30:20Z',
    ];
    for (const now of ticks) {
      await dispatch(now);
      await finishActiveRuns();
    }
    expect((await slots(schedule.id)).map((slot) => [slot.slot, slot.status])).toEqual([
      ['2027-03-27T01:30:00.000Z', 'succeeded'], // CET
      ['2027-03-28T01:30:00.000Z', 'succeeded'], // 02:30 does not exist: 03:30 CEST
      ['2027-03-29T00:30:00.000Z', 'succeeded'], // CEST
      ['2027-10-30T00:30:00.000Z', 'succeeded'],
      ['2027-10-31T00:30:00.000Z', 'succeeded'], // the first 02:30 (CEST) only
      ['2027-11-01T01:30:00.000Z', 'succeeded'], // CET
    ]);
  });

  it('creates one run when several dispatchers race on the same minute', async () => {
    const schedule = await create(nightly({ timeOfDay: '04:00' }));
    const replies = await Promise.all(Array.from({ length: 12 }, () => dispatch('2028-01-10T03:00:30Z')));
    expect(replies.reduce((sum, reply) => sum + reply.dispatched, 0)).toBe(1);
    const recorded = await slots(schedule.id);
    expect(recorded).toHaveLength(1);
    const { rows } = await fixture.database.pool.query(`SELECT count(*)::int AS count FROM run_service.runs WHERE target ->> 'scheduleId' = $1`, [schedule.id]);
    expect(rows[0].count).toBe(1);
    await finishActiveRuns();
  });

  it('does not replay slots missed while the dispatcher was down', async () => {
    const schedule = await create(nightly({ timeOfDay: '05:00' }));
    await dispatch('2028-02-01T04:00:30Z');
    await finishActiveRuns();
    // Down for three slots (2, 3 and 4 February); back on the 5th, an hour after the slot: too late.
    expect(await dispatch('2028-02-05T05:00:00Z')).toMatchObject({ dispatched: 0 });
    await dispatch('2028-02-06T04:00:30Z');
    await finishActiveRuns();
    expect((await slots(schedule.id)).map((slot) => slot.slot)).toEqual(['2028-02-01T04:00:00.000Z', '2028-02-06T04:00:00.000Z']);
  });

  it('records a slot as skipped, with the reason, while the previous run is still active', async () => {
    const schedule = await create(nightly({ timeOfDay: '06:00', frequency: 'weekly', daysOfWeek: ['monday', 'tuesday'] }));
    await dispatch('2028-03-06T05:00:30Z'); // Monday: runs, and stays queued
    await dispatch('2028-03-07T05:00:30Z'); // Tuesday: the Monday run is still active
    const recorded = await slots(schedule.id);
    expect(recorded.map((slot) => [slot.slot, slot.status])).toEqual([
      ['2028-03-06T05:00:00.000Z', RunStatus.Queued],
      ['2028-03-07T05:00:00.000Z', 'skipped'],
    ]);
    expect(recorded[1].reason).toMatch(/previous run/);
    const audit = await rpc<Page<AuditEventView>>(AuditRpc.list, { tenantId: TENANT_ID, scheduleId: schedule.id });
    expect(audit.items.map((event) => event.action).sort()).toEqual(['backup_schedule.created', 'backup_schedule.dispatched', 'backup_schedule.slot_skipped']);
    await finishActiveRuns();
    const finished = await rpc<Page<AuditEventView>>(AuditRpc.list, { tenantId: TENANT_ID, scheduleId: schedule.id });
    expect(finished.items.map((event) => event.action)).toContain('backup_schedule.run_finished');
  });

  it("never shows one tenant's schedule through another tenant: other_tenant names the tenant that holds it, not_found none", async () => {
    const schedule = await create(nightly());
    const otherTenant = { code: 'other_tenant', message: 'backup schedule not found', tenantId: TENANT_ID };
    await expect(rpc(BackupScheduleRpc.get, { tenantId: randomUUID(), scheduleId: schedule.id })).rejects.toEqual(otherTenant);
    await expect(
      rpc(BackupScheduleRpc.update, { tenantId: randomUUID(), scheduleId: schedule.id, requestedBy: OWNER, changes: { enabled: false } }),
    ).rejects.toEqual(otherTenant);
    await expect(rpc(BackupScheduleRpc.get, { tenantId: TENANT_ID, scheduleId: randomUUID() })).rejects.toEqual({ code: 'not_found', message: 'backup schedule not found' });
    expect((await rpc<BackupScheduleView>(BackupScheduleRpc.get, { tenantId: TENANT_ID, scheduleId: schedule.id })).enabled).toBe(true);
  });
});

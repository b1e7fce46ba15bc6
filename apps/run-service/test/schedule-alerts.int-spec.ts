// Schedule alerts (ScheduleAlertEvent on <ns>.evt.schedule.alert.v1.<tenant>), written by run-service's outbox
// in the transaction that skips a slot or ends a slot's run, relayed to the run-status stream: a skipped slot
// makes one `skipped` alert; three failed runs in a row make one `failing` alert, also when the worker's
// run-finished events are redelivered, and a fourth failure adds none.
import { randomUUID } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import { BackupScheduleRpc, ScheduleAlertKind, type BackupScheduleFields, type BackupScheduleView, type DispatchSchedulesReply, type ScheduleAlertEvent } from '@policyvault/contracts';
import { waitFor } from '@policyvault/testing';
import { createRunServiceFixture, TENANT_ID, type RunServiceFixture } from './run-service.fixture.js';

const OWNER = { userId: '22222222-2222-4222-8222-222222222222', email: 'owner@contoso.test' };

describe('schedule alerts (run-service outbox, manual clock)', () => {
  let fixture: RunServiceFixture;

  beforeAll(async () => {
    // No sweep within a test: a follow-up run's command or an alert reaches the stream by the pass its transaction kicks.
    fixture = await createRunServiceFixture(1, { SCHEDULER_CLOCK: 'manual', SCHEDULE_FAILING_ALERT_AFTER: '3', OUTBOX_POLL_INTERVAL_MS: '60000' });
  });

  afterAll(async () => {
    await fixture?.close();
  });

  const rpc = <T>(pattern: string, payload: object) => firstValueFrom(fixture.rpc.send<T>(pattern, payload));
  const create = (schedule: BackupScheduleFields) =>
    rpc<BackupScheduleView>(BackupScheduleRpc.create, { tenantId: TENANT_ID, tenantDirectoryId: 'directory-1', requestedBy: OWNER, schedule });
  const dispatch = (now: string) => rpc<DispatchSchedulesReply>(BackupScheduleRpc.dispatch, { now });
  const daily = (): BackupScheduleFields => ({
    name: `Nightly ${randomUUID().slice(0, 8)}`,
    frequency: 'daily',
    timeOfDay: '02:30',
    timeZone: 'UTC',
    policyTypes: ['deviceConfiguration'],
    keepLast: 3,
  });
  /** The alerts of one schedule as they reached the stream (relayed from the outbox). */
  const alertsOf = async (scheduleId: string, count: number): Promise<ScheduleAlertEvent[]> => {
    const { names, jsm } = fixture.nats;
    await waitFor(
      () => fixture.database.pool.query(`SELECT 1 FROM run_service.outbox WHERE subject = $1 AND sent_at IS NULL`, [names.scheduleAlertSubject(TENANT_ID)]),
      (result) => result.rowCount === 0,
      { what: 'the alerts relayed' },
    );
    const info = await jsm.streams.info(names.runStatusStream);
    const alerts: ScheduleAlertEvent[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq += 1) {
      const message = await jsm.streams.getMessage(names.runStatusStream, { seq }).catch(() => undefined);
      if (message?.subject !== names.scheduleAlertSubject(TENANT_ID)) continue;
      const alert = message.json<ScheduleAlertEvent>();
      if (alert.scheduleId === scheduleId) alerts.push(alert);
    }
    expect(alerts).toHaveLength(count);
    return alerts;
  };
  const activeRunOf = async (scheduleId: string): Promise<string> => {
    const { rows } = await fixture.database.pool.query<{ id: string }>(
      `SELECT id FROM run_service.runs WHERE target ->> 'scheduleId' = $1 AND status IN ('queued', 'running')`,
      [scheduleId],
    );
    expect(rows).toHaveLength(1);
    return rows[0].id;
  };
  const fail = async (runId: string, times = 1) => {
    for (let index = 0; index < times; index += 1) {
      await fixture.publishWorkerEvent('runFinished', { runId, tenantId: TENANT_ID, outcome: 'failed', itemCount: 0, occurredAt: new Date().toISOString() });
    }
    await waitFor(
      () => fixture.database.pool.query<{ status: string }>(`SELECT status FROM run_service.runs WHERE id = $1`, [runId]),
      (result) => result.rows[0]?.status === 'failed',
      { what: `run ${runId} failed` },
    );
  };

  it('three failed runs in a row: one failing alert naming the third run (redelivered run-finished events add none); a fourth failure adds none', async () => {
    const schedule = await create(daily());
    const runs: string[] = [];
    for (const day of ['2029-01-01', '2029-01-02', '2029-01-03', '2029-01-04']) {
      expect(await dispatch(`${day}T02:30:30Z`)).toMatchObject({ dispatched: 1 });
      const runId = await activeRunOf(schedule.id);
      runs.push(runId);
      // Each run-finished published twice: a redelivery of the worker's event.
      await fail(runId, 2);
      if (runs.length === 2) await alertsOf(schedule.id, 0);
    }
    const [alert] = await alertsOf(schedule.id, 1);
    expect(alert).toMatchObject({
      eventId: `schedule:${schedule.id}:failing:${runs[2]}`,
      kind: ScheduleAlertKind.Failing,
      tenantId: TENANT_ID,
      scheduleId: schedule.id,
      scheduleName: schedule.name,
      runId: runs[2],
      consecutiveFailures: 3,
    });
  });

  it('a succeeded run ends the streak: two failures, a success, then three failures make one alert', async () => {
    const schedule = await create(daily());
    const outcomes = ['failed', 'failed', 'completed', 'failed', 'failed', 'failed'];
    const runs: string[] = [];
    for (const [index, outcome] of outcomes.entries()) {
      await dispatch(`2029-02-0${index + 1}T02:30:30Z`);
      const runId = await activeRunOf(schedule.id);
      runs.push(runId);
      if (outcome === 'failed') await fail(runId);
      else {
        await fixture.publishWorkerEvent('runFinished', { runId, tenantId: TENANT_ID, outcome, itemCount: 0, occurredAt: new Date().toISOString() });
        await waitFor(
          () => fixture.database.pool.query<{ status: string }>(`SELECT status FROM run_service.runs WHERE id = $1`, [runId]),
          (result) => result.rows[0]?.status === 'succeeded',
          { what: 'the run succeeded' },
        );
      }
    }
    const [alert] = await alertsOf(schedule.id, 1);
    expect(alert).toMatchObject({ runId: runs[5], consecutiveFailures: 3 });
  });

  it('a skipped slot: one skipped alert with the slot and the reason', async () => {
    const schedule = await create(daily());
    await dispatch('2029-03-01T02:30:30Z'); // runs, and stays queued
    // (the earlier tests' schedules, their runs left queued by this test's dispatches, skip too: alerts are per schedule)
    expect((await dispatch('2029-03-02T02:30:30Z')).skipped).toBeGreaterThanOrEqual(1);
    const [alert] = await alertsOf(schedule.id, 1);
    expect(alert).toMatchObject({
      eventId: `schedule:${schedule.id}:skipped:2029-03-02T02:30:00.000Z`,
      kind: ScheduleAlertKind.Skipped,
      scheduleId: schedule.id,
      slotAt: '2029-03-02T02:30:00.000Z',
      reason: expect.stringMatching(/previous run/),
    });
  });
});

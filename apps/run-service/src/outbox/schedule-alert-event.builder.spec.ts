import { ScheduleAlertKind, jetStreamNames } from '@policyvault/contracts';
import { buildScheduleAlertEvent } from './schedule-alert-event.builder.js';

const names = jetStreamNames('unit');
const schedule = { id: '44444444-4444-4444-8444-444444444444', tenantId: '11111111-1111-4111-8111-111111111111', name: 'Nightly' };
const occurredAt = new Date('2029-01-03T02:31:00Z');

describe('buildScheduleAlertEvent', () => {
  it('names a skipped alert by its slot and a failing alert by the run that reached the threshold, on the tenant subject', () => {
    const skipped = buildScheduleAlertEvent(schedule, { kind: ScheduleAlertKind.Skipped, slotAt: new Date('2029-01-03T02:30:00Z'), reason: 'busy' }, names, occurredAt);
    expect(skipped).toEqual({
      subject: `unit.evt.schedule.alert.v1.${schedule.tenantId}`,
      messageId: `schedule:${schedule.id}:skipped:2029-01-03T02:30:00.000Z`,
      payload: {
        eventId: `schedule:${schedule.id}:skipped:2029-01-03T02:30:00.000Z`,
        kind: 'skipped',
        tenantId: schedule.tenantId,
        scheduleId: schedule.id,
        scheduleName: 'Nightly',
        slotAt: '2029-01-03T02:30:00.000Z',
        reason: 'busy',
        occurredAt: '2029-01-03T02:31:00.000Z',
      },
    });
    const runId = '55555555-5555-4555-8555-555555555555';
    const failing = buildScheduleAlertEvent(schedule, { kind: ScheduleAlertKind.Failing, runId, consecutiveFailures: 3 }, names, occurredAt);
    expect(failing.messageId).toBe(`schedule:${schedule.id}:failing:${runId}`);
    expect(failing.payload).toMatchObject({ kind: 'failing', runId, consecutiveFailures: 3 });
  });

  it('refuses to build an invalid event (a bug: it rolls the change back)', () => {
    expect(() => buildScheduleAlertEvent({ ...schedule, name: '' }, { kind: ScheduleAlertKind.Failing, runId: 'not-a-uuid', consecutiveFailures: 0 }, names)).toThrow(/invalid/);
  });
});

import type { DataSource, EntityManager } from 'typeorm';
import { ScheduleAlertEvent, ScheduleAlertKind, type JetStreamNames } from '@policyvault/contracts';
import { traceCarrier, validateMessage } from '@policyvault/platform';
import type { BackupScheduleEntity } from '../schedules/backup-schedule.entity.js';
import { insertOutboxRow } from '../database/run-service.sql.js';
import { OutboxEntity } from './outbox.entity.js';

type OutboxMessage = Pick<OutboxEntity, 'subject' | 'messageId' | 'payload'>;

export type ScheduleAlertDetails =
  | { kind: ScheduleAlertKind.Skipped; slotAt: Date; reason: string }
  | { kind: ScheduleAlertKind.Failing; runId: string; consecutiveFailures: number };

/**
 * The schedule alert announcing a skipped slot (`schedule:<id>:skipped:<slot>`) or a failing streak
 * (`schedule:<id>:failing:<run that reached the threshold>`), on `<ns>.evt.schedule.alert.v1.<tenant>`.
 * The message id is the event id: one slot or one streak makes one event, however often it is written.
 */
export function buildScheduleAlertEvent(
  schedule: Pick<BackupScheduleEntity, 'id' | 'tenantId' | 'name'>,
  details: ScheduleAlertDetails,
  names: JetStreamNames,
  occurredAt = new Date(),
): OutboxMessage {
  const base = { tenantId: schedule.tenantId, scheduleId: schedule.id, scheduleName: schedule.name, occurredAt: occurredAt.toISOString() };
  const event: ScheduleAlertEvent =
    details.kind === ScheduleAlertKind.Skipped
      ? { ...base, kind: details.kind, eventId: `schedule:${schedule.id}:skipped:${details.slotAt.toISOString()}`, slotAt: details.slotAt.toISOString(), reason: details.reason }
      : { ...base, kind: details.kind, eventId: `schedule:${schedule.id}:failing:${details.runId}`, runId: details.runId, consecutiveFailures: details.consecutiveFailures };
  const validated = validateMessage(ScheduleAlertEvent, event);
  // A schedule row always makes a valid event; failing here is a bug, and it rolls the change back with it.
  if (!validated.ok) throw new Error(`schedule alert of schedule ${schedule.id} is invalid: ${validated.problems.join('; ')}`);
  return { subject: names.scheduleAlertSubject(schedule.tenantId), messageId: event.eventId, payload: { ...event } };
}

/** Writes the alert in the caller's transaction; an alert already written for this slot or streak is kept. */
export async function enqueueScheduleAlertEvent(
  manager: DataSource | EntityManager,
  schedule: Pick<BackupScheduleEntity, 'id' | 'tenantId' | 'name'>,
  details: ScheduleAlertDetails,
  names: JetStreamNames,
): Promise<void> {
  await insertOutboxRow(manager, { ...buildScheduleAlertEvent(schedule, details, names), traceContext: traceCarrier() });
}

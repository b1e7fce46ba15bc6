// A backup schedule needs attention: one of its slots was skipped, or its runs failed N times in a row.
// Published by run-service through its outbox on `<ns>.evt.schedule.alert.v1.<tenant>` (run-status stream);
// the notifier routes it to the subscriptions asking for `schedule.skipped` / `schedule.failing`.
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';

export enum ScheduleAlertKind {
  /** A slot was not dispatched (the schedule's previous run, or a drift check of the tenant, was still active). */
  Skipped = 'skipped',
  /** The schedule's latest `threshold` ended runs all failed (announced once per streak, when it reaches the threshold). */
  Failing = 'failing',
}

export class ScheduleAlertEvent {
  /** `schedule:<id>:skipped:<slot ISO>` or `schedule:<id>:failing:<run id>`: readers de-duplicate on it. */
  @IsString()
  @Length(1, 200)
  eventId: string;

  @IsIn(Object.values(ScheduleAlertKind))
  kind: ScheduleAlertKind;

  @IsUUID('all')
  tenantId: string;

  @IsUUID('all')
  scheduleId: string;

  @IsString()
  @Length(1, 200)
  scheduleName: string;

  /** Skipped: the slot's time. */
  @IsOptional()
  @IsISO8601()
  slotAt?: string;

  /** Skipped: why (a fixed sentence, no tenant data). */
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;

  /** Failing: the run that made the streak reach the threshold, and the streak's length. */
  @IsOptional()
  @IsUUID('all')
  runId?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  consecutiveFailures?: number;

  @IsISO8601()
  occurredAt: string;
}

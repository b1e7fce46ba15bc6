// Backup schedules (spec 032), owned by run-service; request/reply for the gateway (BackupScheduleRpc).
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { RunStatus } from '../runs/run-status.js';
import { PageRequest, RunInitiatorMessage } from './run-rpc.messages.js';

export const SCHEDULE_FREQUENCIES = ['daily', 'weekly'] as const;
export type ScheduleFrequency = (typeof SCHEDULE_FREQUENCIES)[number];
export const DAYS_OF_WEEK = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];
/**
 * What a schedule's slot runs: its backup (`backup_schedule.run`), a drift check against the tenant's
 * latest complete backup set (`drift.check`) instead, or its backup and, once that has ended, a drift
 * check against the set the schedule's previous backup made (what changed since the last backup).
 */
export const SCHEDULE_ACTIONS = ['backup', 'drift_check', 'backup_then_drift_check'] as const;
export type ScheduleAction = (typeof SCHEDULE_ACTIONS)[number];

/** The editable fields of a schedule; every one optional here, required ones checked on create. */
export class BackupScheduleFields {
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @IsOptional()
  @IsIn(SCHEDULE_FREQUENCIES)
  frequency?: ScheduleFrequency;

  /** For weekly schedules: at least one day. */
  @IsOptional()
  @ArrayMaxSize(7)
  @IsIn(DAYS_OF_WEEK, { each: true })
  daysOfWeek?: DayOfWeek[];

  /** Local time of day in the schedule's time zone, `HH:mm` (24 h). */
  @IsOptional()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'timeOfDay must be HH:mm (24-hour)' })
  timeOfDay?: string;

  /** IANA time zone, e.g. `Europe/Berlin`. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  timeZone?: string;

  /** Policy types to back up (contract registry ids); empty or absent means all supported types. */
  @IsOptional()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  policyTypes?: string[];

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  keepLast?: number;

  @IsOptional()
  @IsBoolean()
  includeFoundations?: boolean;

  /** Default `backup`. */
  @IsOptional()
  @IsIn(SCHEDULE_ACTIONS)
  action?: ScheduleAction;
}

export class CreateBackupScheduleRequest {
  @IsUUID('all')
  tenantId: string;

  @IsString()
  @Length(1, 100)
  tenantDirectoryId: string;

  @ValidateNested()
  @Type(() => RunInitiatorMessage)
  requestedBy: RunInitiatorMessage;

  @ValidateNested()
  @Type(() => BackupScheduleFields)
  schedule: BackupScheduleFields;

  /** The gateway's anchor for a create sent with an Idempotency-Key: the same key answers the schedule it made. */
  @IsOptional()
  @IsUUID('all')
  idempotencyKey?: string;
}

export class UpdateBackupScheduleRequest {
  @IsUUID('all')
  tenantId: string;

  @IsUUID('all')
  scheduleId: string;

  @ValidateNested()
  @Type(() => RunInitiatorMessage)
  requestedBy: RunInitiatorMessage;

  @ValidateNested()
  @Type(() => BackupScheduleFields)
  changes: BackupScheduleFields;
}

/**
 * The next run times of a draft schedule, computed by run-service's scheduler code (the one that fires
 * the slots), so an editor shows exactly what will run. Only the timing fields count: frequency,
 * daysOfWeek, timeOfDay and timeZone (the first three and the zone are required); the rest is ignored.
 */
export class PreviewBackupScheduleRequest {
  @IsUUID('all')
  tenantId: string;

  @ValidateNested()
  @Type(() => BackupScheduleFields)
  schedule: BackupScheduleFields;

  /** How many slots (default 5). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  count?: number;
}

export interface BackupSchedulePreview {
  /** The next slots after the scheduler's now, as instants (UTC ISO), earliest first. */
  nextRunTimes: string[];
  /** The zone they were computed in (the draft's). */
  timeZone: string;
}

export class BackupScheduleRef {
  @IsUUID('all')
  tenantId: string;

  @IsUUID('all')
  scheduleId: string;
}

export class DeleteBackupScheduleRequest extends BackupScheduleRef {
  @ValidateNested()
  @Type(() => RunInitiatorMessage)
  requestedBy: RunInitiatorMessage;
}

export class ListBackupSchedulesRequest extends PageRequest {
  @IsUUID('all')
  tenantId: string;
}

export class ListScheduleRunsRequest extends PageRequest {
  @IsUUID('all')
  tenantId: string;

  @IsUUID('all')
  scheduleId: string;
}

/** Test and operations hook: one scheduler tick (due schedules, then removed tenants past their retention) as if the clock said `now` (manual clock only). */
export class DispatchSchedulesRequest {
  @IsString()
  @Length(10, 40)
  now: string;
}

export interface BackupScheduleView {
  id: string;
  tenantId: string;
  name: string;
  enabled: boolean;
  frequency: ScheduleFrequency;
  daysOfWeek: DayOfWeek[];
  timeOfDay: string;
  timeZone: string;
  policyTypes: string[];
  keepLast: number;
  includeFoundations: boolean;
  action: ScheduleAction;
  /** The next slot, as an instant (UTC ISO); null when disabled. */
  nextRunAt: string | null;
  /** When its tenant was disabled (removed): a paused schedule starts no runs, whatever `enabled` says. */
  pausedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type ScheduleSlotStatus = 'queued' | 'running' | 'succeeded' | 'partial' | 'failed' | 'canceled' | 'skipped';

export interface ScheduleRunView {
  scheduleId: string;
  /** The slot's instant (UTC ISO). */
  slot: string;
  status: ScheduleSlotStatus;
  /** Why a slot was skipped (e.g. the previous run was still active). */
  reason: string | null;
  runId: string | null;
  runStatus: RunStatus | null;
  /** The backup set the run produced, once it did. */
  backupSetId: string | null;
  dispatchedAt: string;
}

export interface DispatchSchedulesReply {
  dispatched: number;
  skipped: number;
}

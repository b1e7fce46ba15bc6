// OpenAPI descriptions of run-service's schedule views (libs/contracts BackupScheduleView, ScheduleRunView).
import { ApiProperty } from '@nestjs/swagger';
import { DAYS_OF_WEEK, RunStatus, SCHEDULE_ACTIONS, SCHEDULE_FREQUENCIES, type DayOfWeek, type ScheduleAction, type ScheduleFrequency, type ScheduleSlotStatus } from '@policyvault/contracts';

const SLOT_STATUSES: ScheduleSlotStatus[] = ['queued', 'running', 'succeeded', 'partial', 'failed', 'canceled', 'skipped'];

export class BackupScheduleResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ example: 'Nightly' }) name: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ enum: SCHEDULE_FREQUENCIES }) frequency: ScheduleFrequency;
  @ApiProperty({ enum: DAYS_OF_WEEK, isArray: true }) daysOfWeek: DayOfWeek[];
  @ApiProperty({ example: '02:00' }) timeOfDay: string;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone: string;
  @ApiProperty({ type: [String] }) policyTypes: string[];
  @ApiProperty() keepLast: number;
  @ApiProperty() includeFoundations: boolean;
  @ApiProperty({ enum: SCHEDULE_ACTIONS }) action: ScheduleAction;
  @ApiProperty({ format: 'date-time', nullable: true, description: 'The next slot (UTC); null when disabled.' }) nextRunAt: string | null;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    description: 'When the tenant was removed (disabled): a paused schedule starts no runs, whatever enabled says.',
  })
  pausedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class BackupSchedulePreviewResponse {
  @ApiProperty({
    type: [String],
    format: 'date-time',
    description: "The draft's next five slots (UTC), earliest first, from the scheduler's own computation and clock.",
    example: ['2026-03-28T01:30:00.000Z', '2026-03-29T01:30:00.000Z'],
  })
  nextRunTimes: string[];
  @ApiProperty({ example: 'Europe/Berlin', description: "The draft's time zone." }) timeZone: string;
}

export class BackupSchedulePageResponse {
  @ApiProperty({ type: [BackupScheduleResponse] }) items: BackupScheduleResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor: string | null;
}

export class ScheduleRunResponse {
  @ApiProperty({ format: 'uuid' }) scheduleId: string;
  @ApiProperty({ format: 'date-time', description: 'The slot (UTC).' }) slot: string;
  @ApiProperty({ enum: SLOT_STATUSES, description: '`skipped` when the previous run of the schedule was still active.' })
  status: ScheduleSlotStatus;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) runId: string | null;
  @ApiProperty({ enum: RunStatus, enumName: 'RunStatus', nullable: true }) runStatus: RunStatus | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The backup set the run made, once it did.' }) backupSetId: string | null;
  @ApiProperty({ format: 'date-time' }) dispatchedAt: string;
}

export class ScheduleRunPageResponse {
  @ApiProperty({ type: [ScheduleRunResponse] }) items: ScheduleRunResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

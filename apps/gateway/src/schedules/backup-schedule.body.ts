// The bodies of POST and PATCH …/backup-schedules. The rules are the contract's
// (BackupScheduleFields, which run-service validates again); here they gain OpenAPI descriptions,
// the fields a new schedule must have, and an early check of the time zone.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BackupScheduleFields, DAYS_OF_WEEK, SCHEDULE_ACTIONS, SCHEDULE_FREQUENCIES, type DayOfWeek, type ScheduleAction, type ScheduleFrequency } from '@policyvault/contracts';
import { IsIanaTimeZone } from './iana-time-zone.validator.js';

const DAYS = 'For weekly schedules, at least one day (run-service answers 400 otherwise).';
const POLICY_TYPES = 'Policy type ids of the Graph contract registry; empty or absent means every supported type. Unknown ids answer 400.';

/** PATCH: any subset of the fields. */
export class BackupScheduleChangesBody extends BackupScheduleFields {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'Nightly' })
  override name?: string;

  @ApiPropertyOptional({ description: 'A disabled schedule keeps its history and dispatches nothing.' })
  override enabled?: boolean;

  @ApiPropertyOptional({ enum: SCHEDULE_FREQUENCIES })
  override frequency?: ScheduleFrequency;

  @ApiPropertyOptional({ enum: DAYS_OF_WEEK, isArray: true, maxItems: 7, description: DAYS })
  override daysOfWeek?: DayOfWeek[];

  @ApiPropertyOptional({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', example: '02:00', description: 'Local time of day in timeZone, 24-hour.' })
  override timeOfDay?: string;

  @ApiPropertyOptional({ example: 'Europe/Berlin', maxLength: 64, description: 'An IANA time zone.' })
  @IsIanaTimeZone()
  override timeZone?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 100, example: ['deviceConfiguration', 'settingsCatalog'], description: POLICY_TYPES })
  override policyTypes?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, description: 'Retention: keep the newest N backup sets this schedule made.' })
  override keepLast?: number;

  @ApiPropertyOptional({ description: 'Also back up foundations (assignment filters, scope tags).' })
  override includeFoundations?: boolean;

  @ApiPropertyOptional({
    enum: SCHEDULE_ACTIONS,
    default: 'backup',
    description:
      'What each slot runs: its backup; a drift check against the latest complete backup set instead; or its backup and, once that ended, ' +
      'a drift check against the set of the schedule\'s previous backup.',
  })
  override action?: ScheduleAction;
}

/** The fields a new schedule must have (run-service's list); it defaults the rest. */
export const REQUIRED_SCHEDULE_FIELDS = ['name', 'frequency', 'timeOfDay', 'timeZone', 'keepLast'] as const;

/** One problem per required field a new schedule lacks (the contract's rules make every field optional). */
export function missingScheduleFields(body: BackupScheduleFields): string[] {
  return REQUIRED_SCHEDULE_FIELDS.filter((field) => body[field] === undefined || body[field] === null).map((field) => `${field}: is required`);
}

/**
 * POST: name, frequency, time of day, time zone and keepLast are required (checked by missingScheduleFields:
 * class-validator's IsOptional on the contract's fields would skip an IsDefined added here).
 */
export class CreateBackupScheduleBody extends BackupScheduleChangesBody {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Nightly' })
  override name?: string;

  @ApiProperty({ enum: SCHEDULE_FREQUENCIES })
  override frequency?: ScheduleFrequency;

  @ApiProperty({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', example: '02:00', description: 'Local time of day in timeZone, 24-hour.' })
  override timeOfDay?: string;

  @ApiProperty({ example: 'Europe/Berlin', maxLength: 64, description: 'An IANA time zone.' })
  override timeZone?: string;

  @ApiProperty({ minimum: 1, maximum: 1000, description: 'Retention: keep the newest N backup sets this schedule made.' })
  override keepLast?: number;
}

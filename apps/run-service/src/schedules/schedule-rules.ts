import { isSupportedPolicyType } from '@policyvault/graph';
import type { BackupScheduleFields, DayOfWeek, ScheduleAction, ScheduleFrequency } from '@policyvault/contracts';
import { RpcException } from '@policyvault/platform';
import { isKnownTimeZone } from './schedule-slot-times.js';

export interface ScheduleSettings {
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
}

const REQUIRED_ON_CREATE = ['name', 'frequency', 'timeOfDay', 'timeZone', 'keepLast'] as const;

/**
 * The whole schedule after applying `fields` to `current` (or to the defaults when creating), or a
 * validation error naming every offending field (`schedule.timeZone: unknown time zone "Mars/Olympus"`).
 */
export function applyScheduleFields(fields: BackupScheduleFields, current?: ScheduleSettings): ScheduleSettings {
  const problems: string[] = [];
  if (!current) {
    for (const field of REQUIRED_ON_CREATE) if (fields[field] === undefined) problems.push(`schedule.${field}: is required`);
  }
  const merged = {
    enabled: true,
    daysOfWeek: [],
    policyTypes: [],
    includeFoundations: false,
    action: 'backup',
    ...current,
    ...definedOnly(fields),
  } as ScheduleSettings;
  if (merged.timeZone !== undefined && !isKnownTimeZone(merged.timeZone)) {
    problems.push(`schedule.timeZone: unknown time zone "${merged.timeZone}" (use an IANA name such as Europe/Berlin)`);
  }
  if (merged.frequency === 'weekly' && merged.daysOfWeek.length === 0) {
    problems.push('schedule.daysOfWeek: a weekly schedule needs at least one day');
  }
  merged.policyTypes.forEach((type, index) => {
    if (!isSupportedPolicyType(type)) problems.push(`schedule.policyTypes.${index}: unknown policy type "${type}"`);
  });
  if (merged.keepLast !== undefined && !(Number.isInteger(merged.keepLast) && merged.keepLast >= 1)) {
    problems.push('schedule.keepLast: must be at least 1');
  }
  if (problems.length > 0) throw RpcException.validation(problems);
  return {
    ...merged,
    daysOfWeek: merged.frequency === 'daily' ? [] : [...new Set(merged.daysOfWeek)],
    policyTypes: [...new Set(merged.policyTypes)],
  };
}

function definedOnly(fields: BackupScheduleFields): Partial<ScheduleSettings> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<ScheduleSettings>;
}

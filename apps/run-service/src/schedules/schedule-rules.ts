import { isSupportedPolicyType } from '@policyvault/graph';
import type { BackupScheduleFields, DayOfWeek, ScheduleAction, ScheduleFrequency } from '@policyvault/contracts';
import { RpcException } from '@policyvault/platform';
import { isKnownTimeZone, type ScheduleTiming } from './schedule-slot-times.js';

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
const REQUIRED_FOR_TIMING = ['frequency', 'timeOfDay', 'timeZone'] as const;

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
  problems.push(...timingProblems(merged));
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

/**
 * The timing of a draft (its frequency, days, time of day and zone) under the same rules as a saved
 * schedule's, for previewing its slots; the other fields are not looked at.
 */
export function scheduleTimingOf(fields: BackupScheduleFields): ScheduleTiming {
  const problems = REQUIRED_FOR_TIMING.filter((field) => fields[field] === undefined).map((field) => `schedule.${field}: is required`);
  const timing = { frequency: fields.frequency, daysOfWeek: fields.daysOfWeek ?? [], timeOfDay: fields.timeOfDay, timeZone: fields.timeZone } as ScheduleTiming;
  problems.push(...timingProblems(timing));
  if (problems.length > 0) throw RpcException.validation(problems);
  return { ...timing, daysOfWeek: timing.frequency === 'daily' ? [] : [...new Set(timing.daysOfWeek)] };
}

function timingProblems(timing: Partial<ScheduleTiming>): string[] {
  const problems: string[] = [];
  if (timing.timeZone !== undefined && !isKnownTimeZone(timing.timeZone)) {
    problems.push(`schedule.timeZone: unknown time zone "${timing.timeZone}" (use an IANA name such as Europe/Berlin)`);
  }
  if (timing.frequency === 'weekly' && (timing.daysOfWeek ?? []).length === 0) {
    problems.push('schedule.daysOfWeek: a weekly schedule needs at least one day');
  }
  return problems;
}

function definedOnly(fields: BackupScheduleFields): Partial<ScheduleSettings> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<ScheduleSettings>;
}

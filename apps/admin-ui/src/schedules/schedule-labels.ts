import type { BackupScheduleView, DayOfWeek, ScheduleAction, ScheduleFrequency, ScheduleSlotStatus } from '../api/contracts';
import { RUN_STATUS_COLORS } from '../runs/run-labels';

// Records over the contract's values: a new day, frequency, action or slot status fails the type check until it has a label.
export const DAY_LABELS: Record<DayOfWeek, string> = {
  monday: 'Mon',
  tuesday: 'Tue',
  wednesday: 'Wed',
  thursday: 'Thu',
  friday: 'Fri',
  saturday: 'Sat',
  sunday: 'Sun',
};

export const FREQUENCY_LABELS: Record<ScheduleFrequency, string> = { daily: 'Daily', weekly: 'Weekly' };

export const ACTION_LABELS: Record<ScheduleAction, string> = {
  backup: 'Back up',
  drift_check: 'Check drift',
  backup_then_drift_check: 'Back up, then check drift',
};

export const SLOT_STATUS_COLORS: Record<ScheduleSlotStatus, string> = { ...RUN_STATUS_COLORS, skipped: 'gray.7' };

/** "Daily at 02:00" or "Weekly on Mon, Thu at 02:00" (in the schedule's own zone). */
export function describeTiming(schedule: Pick<BackupScheduleView, 'frequency' | 'daysOfWeek' | 'timeOfDay'>): string {
  if (schedule.frequency === 'daily') return `Daily at ${schedule.timeOfDay}`;
  const days = (Object.keys(DAY_LABELS) as DayOfWeek[]).filter((day) => schedule.daysOfWeek.includes(day)).map((day) => DAY_LABELS[day]);
  return `Weekly on ${days.join(', ')} at ${schedule.timeOfDay}`;
}

/** Enabled, disabled by an owner, or paused because its tenant was removed (which wins). */
export function scheduleState(schedule: Pick<BackupScheduleView, 'enabled' | 'pausedAt'>): { label: string; color: string } {
  if (schedule.pausedAt) return { label: 'Tenant removed', color: 'dark.6' };
  return schedule.enabled ? { label: 'Enabled', color: 'teal.9' } : { label: 'Paused', color: 'gray.7' };
}

import { DateTime, IANAZone } from 'luxon';
import { DAYS_OF_WEEK, type DayOfWeek, type ScheduleFrequency } from '@policyvault/contracts';

export interface ScheduleTiming {
  frequency: ScheduleFrequency;
  daysOfWeek: readonly DayOfWeek[];
  /** `HH:mm` in the schedule's time zone. */
  timeOfDay: string;
  timeZone: string;
}

export function isKnownTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/**
 * The instant a schedule fires on one local calendar day, or null when it does not fire that day.
 * Daylight-saving rules (luxon): a local time that does not exist that day (spring forward) fires at
 * the same wall-clock offset after the gap (02:30 → 03:30); one that exists twice (fall back) fires
 * once, at the first occurrence (the earlier offset).
 */
function slotOnDay(timing: ScheduleTiming, day: DateTime): DateTime | null {
  if (timing.frequency === 'weekly' && !timing.daysOfWeek.includes(DAYS_OF_WEEK[day.weekday - 1])) return null;
  const [hour, minute] = timing.timeOfDay.split(':').map(Number);
  const local = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone: timing.timeZone });
  // Luxon resolves an ambiguous local time to the later offset; a schedule fires at the first one.
  const [first] = local.getPossibleOffsets().sort((a, b) => a.toMillis() - b.toMillis());
  return first ?? local;
}

/** The first slot strictly after `after`. */
export function nextSlotAfter(timing: ScheduleTiming, after: Date): Date {
  let day = DateTime.fromJSDate(after, { zone: timing.timeZone }).startOf('day');
  for (let index = 0; index < 15; index += 1, day = day.plus({ days: 1 })) {
    const slot = slotOnDay(timing, day);
    if (slot && slot.toMillis() > after.getTime()) return slot.toJSDate();
  }
  throw new Error('a schedule fires at least once a week');
}

/** The latest slot at or before `at` (the one a dispatcher running at `at` may still dispatch). */
export function latestSlotAtOrBefore(timing: ScheduleTiming, at: Date): Date {
  let day = DateTime.fromJSDate(at, { zone: timing.timeZone }).startOf('day');
  for (let index = 0; index < 15; index += 1, day = day.minus({ days: 1 })) {
    const slot = slotOnDay(timing, day);
    if (slot && slot.toMillis() <= at.getTime()) return slot.toJSDate();
  }
  throw new Error('a schedule fires at least once a week');
}

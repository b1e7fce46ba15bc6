import type { ScheduleSet } from '../store/schedule-retention.repository.js';

/**
 * Which of a schedule's backup sets retention removes, given all of them (any order). The newest
 * `keepLast` sets that hold a backup (`complete`, or `partial`: some policies missing, a cancel) stay;
 * every other set older than the oldest one kept goes, failed ones included. Until `keepLast` backups
 * exist nothing is removed, so failed runs never push good backups out. A set still `capturing`
 * (another run of the schedule) is never touched; sets newer than the oldest kept one stay too.
 */
export function setsBeyondRetention(sets: readonly ScheduleSet[], keepLast: number): string[] {
  const newestFirst = [...sets].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
  const kept = newestFirst.filter((set) => set.status === 'complete' || set.status === 'partial').slice(0, keepLast);
  if (kept.length < keepLast) return [];
  const oldestKept = newestFirst.indexOf(kept[kept.length - 1]);
  return newestFirst.slice(oldestKept + 1).filter((set) => set.status !== 'capturing').map((set) => set.id);
}

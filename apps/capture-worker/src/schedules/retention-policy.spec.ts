import type { ScheduleSet } from '../store/schedule-retention.repository.js';
import { setsBeyondRetention } from './retention-policy.js';

const at = (minute: number) => new Date(Date.UTC(2027, 2, 28, 1, minute));
const set = (id: string, minute: number, status: ScheduleSet['status'] = 'complete'): ScheduleSet => ({ id, status, createdAt: at(minute) });

describe('schedule retention (which sets go)', () => {
  it('keeps the newest keepLast sets and removes the older ones, in any input order', () => {
    const sets = [set('c', 3), set('a', 1), set('e', 5), set('b', 2), set('d', 4)];
    expect(setsBeyondRetention(sets, 3).sort()).toEqual(['a', 'b']);
    expect(setsBeyondRetention(sets, 5)).toEqual([]);
    expect(setsBeyondRetention(sets, 1).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('does not count failed sets as backups, removes them once older than the oldest kept, and never touches a capturing set', () => {
    const sets = [set('a', 1), set('b', 2, 'failed'), set('c', 3, 'partial'), set('d', 4, 'failed'), set('e', 5), set('f', 6, 'capturing'), set('g', 0, 'capturing')];
    // Kept: e, c (partial holds a backup); d is newer than c and stays; a, b are older.
    expect(setsBeyondRetention(sets, 2).sort()).toEqual(['a', 'b']);
  });

  it('removes nothing until keepLast backups exist', () => {
    expect(setsBeyondRetention([set('a', 1, 'failed'), set('b', 2, 'failed'), set('c', 3)], 2)).toEqual([]);
  });
});

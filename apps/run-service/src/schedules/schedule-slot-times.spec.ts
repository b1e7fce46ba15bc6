import { latestSlotAtOrBefore, nextSlotAfter, type ScheduleTiming } from './schedule-slot-times.js';

const berlinDaily: ScheduleTiming = { frequency: 'daily', daysOfWeek: [], timeOfDay: '02:30', timeZone: 'Europe/Berlin' };

/** Every slot between two instants, by walking nextSlotAfter. */
function slotsBetween(timing: ScheduleTiming, from: string, to: string): string[] {
  const slots: string[] = [];
  let cursor = new Date(from);
  for (;;) {
    cursor = nextSlotAfter(timing, cursor);
    if (cursor.getTime() > new Date(to).getTime()) return slots;
    slots.push(cursor.toISOString());
  }
}

describe('schedule slot times (daylight saving, Europe/Berlin)', () => {
  it('fires once a day across the spring change, 02:30 local, 03:30 CEST on the day 02:30 does not exist', () => {
    expect(slotsBetween(berlinDaily, '2027-03-26T00:00:00Z', '2027-03-30T00:00:00Z')).toEqual([
      '2027-03-26T01:30:00.000Z', // CET (UTC+1)
      '2027-03-27T01:30:00.000Z',
      '2027-03-28T01:30:00.000Z', // 02:30 skipped by the clock change: 03:30 CEST
      '2027-03-29T00:30:00.000Z', // CEST (UTC+2)
    ]);
  });

  it('fires once a day across the autumn change, at the first 02:30 of the day it happens twice', () => {
    expect(slotsBetween(berlinDaily, '2027-10-29T00:00:00Z', '2027-11-02T00:00:00Z')).toEqual([
      '2027-10-29T00:30:00.000Z', // CEST
      '2027-10-30T00:30:00.000Z',
      '2027-10-31T00:30:00.000Z', // 02:30 CEST, not again at 02:30 CET
      '2027-11-01T01:30:00.000Z', // CET
    ]);
  });

  it('finds the latest slot at or before an instant, and honours weekly days', () => {
    expect(latestSlotAtOrBefore(berlinDaily, new Date('2027-03-28T01:30:00Z')).toISOString()).toBe('2027-03-28T01:30:00.000Z');
    expect(latestSlotAtOrBefore(berlinDaily, new Date('2027-03-28T01:29:59Z')).toISOString()).toBe('2027-03-27T01:30:00.000Z');
    const weekly: ScheduleTiming = { frequency: 'weekly', daysOfWeek: ['monday', 'thursday'], timeOfDay: '23:15', timeZone: 'America/New_York' };
    expect(slotsBetween(weekly, '2027-01-04T00:00:00Z', '2027-01-13T00:00:00Z')).toEqual([
      '2027-01-05T04:15:00.000Z', // Monday 4 January, 23:15 EST
      '2027-01-08T04:15:00.000Z', // Thursday 7 January
      '2027-01-12T04:15:00.000Z', // Monday 11 January
    ]);
  });
});

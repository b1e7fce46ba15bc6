import { isRunPeriod, periodStart, RUN_PERIOD_OPTIONS } from './run-periods';

describe('run periods', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');

  it('turns a named period into the instant it starts at', () => {
    expect(periodStart('1h', now)).toBe('2026-12-01T11:00:00.000Z');
    expect(periodStart('24h', now)).toBe('2026-11-30T12:00:00.000Z');
    expect(periodStart('7d', now)).toBe('2026-11-24T12:00:00.000Z');
    expect(periodStart('30d', now)).toBe('2026-11-01T12:00:00.000Z');
  });

  it('ignores anything else (a hand-edited URL), as no period', () => {
    expect(periodStart(undefined, now)).toBeUndefined();
    expect(periodStart('2d', now)).toBeUndefined();
    expect(periodStart('toString', now)).toBeUndefined();
    expect(isRunPeriod('constructor')).toBe(false);
  });

  it('offers every period once, shortest first', () => {
    expect(RUN_PERIOD_OPTIONS.map((option) => option.value)).toEqual(['1h', '24h', '7d', '30d']);
  });
});

import { ThrottleRetry, type ThrottleBackoffOptions } from './throttle-retry.js';

const options: ThrottleBackoffOptions = { baseDelayMs: 1000, maxDelayMs: 20_000, readBudgetMs: 60_000, writeBudgetMs: 300_000 };

/** A clock the test moves, as the client's sleep would. */
function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe('ThrottleRetry', () => {
  it('without Retry-After doubles the ceiling of each wait up to one Intune window (full jitter at the top)', () => {
    const clock = fakeClock();
    const retry = new ThrottleRetry(options, 600_000, clock.now, () => 0.999_999);
    const delays: number[] = [];
    for (let answer = 0; answer < 8; answer += 1) {
      const next = retry.next(undefined);
      if (!next.wait) throw new Error('budget spent too early');
      delays.push(next.delayMs);
      clock.advance(next.delayMs);
    }
    expect(delays).toEqual([999, 1999, 3999, 7999, 15_999, 19_999, 19_999, 19_999]);
  });

  it('draws each wait uniformly from zero to the ceiling (full jitter)', () => {
    const clock = fakeClock();
    const dice = [0, 0.5, 0.25];
    const retry = new ThrottleRetry(options, 600_000, clock.now, () => dice.shift() ?? 0);
    expect(retry.next(undefined)).toEqual({ wait: true, delayMs: 0 });
    expect(retry.next(undefined)).toEqual({ wait: true, delayMs: 1000 });
    expect(retry.next(undefined)).toEqual({ wait: true, delayMs: 1000 });
  });

  it('honours Retry-After as sent, and treats a zero Retry-After as absent', () => {
    const clock = fakeClock();
    const retry = new ThrottleRetry(options, 60_000, clock.now, () => 0.5);
    expect(retry.next(37)).toEqual({ wait: true, delayMs: 37_000 });
    expect(retry.next(0)).toEqual({ wait: true, delayMs: 1000 });
  });

  it('stops once the budget has passed since the first throttled answer, cutting the last wait to what is left', () => {
    const clock = fakeClock();
    const retry = new ThrottleRetry(options, 30_000, clock.now, () => 0.999_999);
    let waited = 0;
    for (;;) {
      const next = retry.next(undefined);
      if (!next.wait) {
        // Postponed by one window: by then the tenant's throttling window has passed.
        expect(next).toEqual({ wait: false, postponeSeconds: 20 });
        break;
      }
      waited += next.delayMs;
      clock.advance(next.delayMs + 200); // each retry also takes time on the wire
    }
    expect(waited).toBeLessThanOrEqual(30_000);
    expect(clock.now() - 1_000_000).toBeGreaterThanOrEqual(30_000);
  });

  it('gives up at once on a Retry-After longer than what is left of the budget, postponing by that Retry-After', () => {
    const clock = fakeClock();
    const retry = new ThrottleRetry(options, 60_000, clock.now, () => 0.5);
    expect(retry.next(50)).toEqual({ wait: true, delayMs: 50_000 });
    clock.advance(50_000);
    expect(retry.next(30)).toEqual({ wait: false, postponeSeconds: 30 });
  });

  it('with a zero budget never waits: the first throttled answer postpones', () => {
    const retry = new ThrottleRetry(options, 0, fakeClock().now, () => 0.5);
    expect(retry.next(undefined)).toEqual({ wait: false, postponeSeconds: 20 });
  });
});

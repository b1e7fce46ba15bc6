import { computeBackoffMs, parseRetryAfter } from './backoff.js';

describe('computeBackoffMs', () => {
  const options = { baseDelayMs: 100, maxDelayMs: 1000 };

  it('grows exponentially up to the cap, with the random factor applied to the ceiling', () => {
    expect(computeBackoffMs(1, options, () => 0.999999)).toBe(99);
    expect(computeBackoffMs(2, options, () => 0.999999)).toBe(199);
    expect(computeBackoffMs(3, options, () => 0.999999)).toBe(399);
    expect(computeBackoffMs(10, options, () => 0.999999)).toBe(999);
  });

  it('jitters across the whole interval instead of retrying in lockstep', () => {
    const delays = Array.from({ length: 200 }, () => computeBackoffMs(4, options));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(800);
    expect(new Set(delays).size).toBeGreaterThan(50);
    expect(computeBackoffMs(4, options, () => 0)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);

  it('reads delta-seconds, rounding fractions up', () => {
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.2', now)).toBe(2);
  });

  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30);
    expect(parseRetryAfter(new Date(now - 30_000).toUTCString(), now)).toBe(0);
  });

  it('ignores absent or unreadable values and caps hostile ones', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('999999', now)).toBe(3600);
  });
});

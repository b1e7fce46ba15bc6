import { ExpiringCache } from './expiring-cache.js';

describe('ExpiringCache', () => {
  let now = 1_000;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000;
  });

  it('returns a value until its time to live has passed', () => {
    const cache = new ExpiringCache<string, number>(10, clock);
    cache.set('a', 1, 500);
    now += 499;
    expect(cache.get('a')).toBe(1);
    now += 1;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops the oldest entry when full', () => {
    const cache = new ExpiringCache<string, number>(2, clock);
    cache.set('a', 1, 1000);
    cache.set('b', 2, 1000);
    cache.set('c', 3, 1000);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe(2);
    expect(cache.get('c')).toBe(3);
  });

  it('does not store anything with a zero time to live (cache disabled)', () => {
    const cache = new ExpiringCache<string, number>(2, clock);
    cache.set('a', 1, 0);
    expect(cache.get('a')).toBeUndefined();
  });
});

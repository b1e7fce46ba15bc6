import { forEachLimited } from './for-each-limited.js';

describe('forEachLimited', () => {
  it('bounds concurrency and visits every item', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachLimited([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(item);
      running -= 1;
    });
    expect(peak).toBe(3);
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('starts nothing after a failure, waits for running tasks, rethrows the first error', async () => {
    const finished: number[] = [];
    const promise = forEachLimited([1, 2, 3, 4, 5], 2, async (item) => {
      await new Promise((resolve) => setImmediate(resolve));
      if (item === 1) throw new Error('first');
      finished.push(item);
    });
    await expect(promise).rejects.toThrow('first');
    expect(finished).toEqual([2]);
  });
});

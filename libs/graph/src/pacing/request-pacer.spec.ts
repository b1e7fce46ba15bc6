import { jest } from '@jest/globals';
import { RequestPacer, Semaphore, type PacerOptions } from './request-pacer.js';

/** 1 request per second with a bucket of one: every request after the first waits its turn. */
const ONE_PER_SECOND: PacerOptions = { requestsPerWindow: 20, writesPerWindow: 20, windowSeconds: 20, utilization: 1, burst: 1 };

describe('RequestPacer', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  /** Acquires `cost` for each label in turn and records the order in which they were let through. */
  function acquireAll(pacer: RequestPacer, waiters: Array<{ label: string; priority?: number; cost?: number }>) {
    const order: string[] = [];
    const done = waiters.map(({ label, priority, cost }) => pacer.acquire(cost ?? 1, false, priority).then(() => order.push(label)));
    return { order, done: Promise.all(done) };
  }

  it('lets requests through at the budget’s rate, first come first served', async () => {
    const pacer = new RequestPacer(ONE_PER_SECOND, Date.now);
    const { order, done } = acquireAll(pacer, [{ label: 'a' }, { label: 'b' }, { label: 'c' }]);
    await jest.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['a']);
    await jest.advanceTimersByTimeAsync(999);
    expect(order).toEqual(['a']);
    await jest.advanceTimersByTimeAsync(1);
    expect(order).toEqual(['a', 'b']);
    await jest.advanceTimersByTimeAsync(1000);
    await done;
    expect(order).toEqual(['a', 'b', 'c']);
    pacer.close();
  });

  it('lets a waiting request with a lower priority number through first, in arrival order within a priority', async () => {
    const pacer = new RequestPacer(ONE_PER_SECOND, Date.now);
    const { order, done } = acquireAll(pacer, [
      { label: 'first', priority: 3 },
      { label: 'chunk 2, first', priority: 2 },
      { label: 'chunk 3', priority: 3 },
      { label: 'chunk 2, second', priority: 2 },
      { label: 'listing', priority: 0 },
      { label: 'chunk 1', priority: 1 },
    ]);
    await jest.advanceTimersByTimeAsync(5000);
    await done;
    // The first went at once (the bucket was full); the rest waited and went by priority.
    expect(order).toEqual(['first', 'listing', 'chunk 1', 'chunk 2, first', 'chunk 2, second', 'chunk 3']);
    pacer.close();
  });

  it('keeps the rate whatever the order: a later, more urgent request waits for the budget like any other', async () => {
    const pacer = new RequestPacer({ ...ONE_PER_SECOND, requestsPerWindow: 40, burst: 2 }, Date.now);
    const { order, done } = acquireAll(pacer, [{ label: 'a', priority: 5, cost: 2 }, { label: 'b', priority: 5, cost: 2 }]);
    await jest.advanceTimersByTimeAsync(500);
    // Half the second bucket's refill: an urgent request arriving now does not jump the budget, only the queue.
    const urgent = pacer.acquire(2, false, 0).then(() => order.push('urgent'));
    await jest.advanceTimersByTimeAsync(499);
    expect(order).toEqual(['a']);
    await jest.advanceTimersByTimeAsync(1);
    expect(order).toEqual(['a', 'urgent']);
    await jest.advanceTimersByTimeAsync(1000);
    await Promise.all([done, urgent]);
    expect(order).toEqual(['a', 'urgent', 'b']);
    pacer.close();
  });
});

describe('Semaphore', () => {
  it('gives a free place to the waiter with the lowest priority number, in arrival order within a priority', async () => {
    const semaphore = new Semaphore(1);
    const order: string[] = [];
    let release!: () => void;
    const holder = semaphore.run(() => new Promise<void>((resolve) => (release = resolve)));
    const waiters = [
      { label: 'late chunk', priority: 4 },
      { label: 'chunk, first', priority: 1 },
      { label: 'default', priority: undefined },
      { label: 'chunk, second', priority: 1 },
    ].map(({ label, priority }) => semaphore.run(async () => void order.push(label), priority));
    release();
    await Promise.all([holder, ...waiters]);
    expect(order).toEqual(['default', 'chunk, first', 'chunk, second', 'late chunk']);
  });

  it('runs at most `capacity` tasks at once', async () => {
    const semaphore = new Semaphore(2);
    let running = 0;
    let most = 0;
    const task = async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
    };
    await Promise.all(Array.from({ length: 6 }, (_, index) => semaphore.run(task, index % 3)));
    expect(most).toBe(2);
  });
});

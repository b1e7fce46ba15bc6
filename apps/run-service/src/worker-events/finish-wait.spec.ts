import { FinishWait, WORKER_EVENT_MAX_DELIVER } from './finish-wait.js';

describe('FinishWait', () => {
  it.each([1000, 2000, 30_000, 300_000])('waits three ack waits (%i ms), reached in at most half of the deliveries', (ackWaitMs) => {
    const wait = new FinishWait(ackWaitMs);
    expect(wait.waitMs).toBe(3 * ackWaitMs);
    let waited = 0;
    let delivery = 1;
    while (!wait.isOver(waited, delivery)) {
      waited += wait.retryDelayMs(delivery);
      delivery += 1;
    }
    expect(waited).toBeGreaterThanOrEqual(wait.waitMs);
    // At most half of the deliveries are retried; the next one ends the run.
    expect(delivery - 1).toBeLessThanOrEqual(WORKER_EVENT_MAX_DELIVER / 2);
  });

  it('retries quickly first (items applied at the same moment), then at an even pace', () => {
    expect([1, 2, 3, 4, 5, 20].map((count) => new FinishWait(30_000).retryDelayMs(count))).toEqual([250, 500, 1000, 7500, 7500, 7500]);
  });

  it('ends the wait on the delivery before the last, however little time has passed', () => {
    const wait = new FinishWait(30_000);
    expect(wait.isOver(0, WORKER_EVENT_MAX_DELIVER - 2)).toBe(false);
    expect(wait.isOver(0, WORKER_EVENT_MAX_DELIVER - 1)).toBe(true);
    expect(wait.isOver(89_999, 3)).toBe(false);
    expect(wait.isOver(90_000, 3)).toBe(true);
  });

  it('follows the configured ack wait', () => {
    expect(new FinishWait(5000).waitMs).toBe(15_000);
    expect(new FinishWait(5000).retryDelayMs(10)).toBe(1250);
  });
});

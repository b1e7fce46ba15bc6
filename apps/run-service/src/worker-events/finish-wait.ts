/** Deliveries of one worker event before it is given up (recorded in `rejected_messages`). */
export const WORKER_EVENT_MAX_DELIVER = 30;

/**
 * How many ack waits a run-finished event waits for item events it counts but run-service has not
 * applied. A worker stores its item events in the stream before its run-finished, so a missing one is
 * held by a run-service replica: one killed while holding it releases it after one ack wait, and the
 * replica it is redelivered to may be killed too (a second); the third covers the nak delays and a backlog.
 */
const ACK_WAITS_AWAITED = 3;
/** The first retries, for items applied at the same moment by another replica: 250 ms, 500 ms, 1 s. */
const QUICK_RETRIES = 3;
const FIRST_RETRY_DELAY_MS = 250;

/**
 * The wait of a run-finished event for its missing items, derived from the worker-event consumer's ack
 * wait (never a fixed count of retries): it is retried with growing delays until the items are there or
 * `waitMs` has passed since run-service first applied it (`runs.finish_reported_at`, the database's
 * clock, so a redelivery to another replica or after an outage does not restart or shorten the wait).
 * The delays are capped so that the whole wait takes at most half of `maxDeliver`: the other half is for
 * replicas killed while holding the run-finished event itself, and its last delivery always ends the run.
 */
export class FinishWait {
  readonly waitMs: number;
  private readonly maxDelayMs: number;

  constructor(
    ackWaitMs: number,
    private readonly maxDeliver = WORKER_EVENT_MAX_DELIVER,
  ) {
    this.waitMs = ackWaitMs * ACK_WAITS_AWAITED;
    this.maxDelayMs = Math.ceil(this.waitMs / Math.max(Math.floor(maxDeliver / 2) - QUICK_RETRIES, 1));
  }

  /** The nak delay after this delivery of the run-finished event: a few quick retries, then an even pace. */
  retryDelayMs(deliveryCount: number): number {
    if (deliveryCount > QUICK_RETRIES) return this.maxDelayMs;
    return Math.min(FIRST_RETRY_DELAY_MS * 2 ** Math.max(deliveryCount - 1, 0), this.maxDelayMs);
  }

  /** Whether the run ends now without the items still missing. */
  isOver(waitedMs: number, deliveryCount: number): boolean {
    return waitedMs >= this.waitMs || deliveryCount >= this.maxDeliver - 1;
  }
}

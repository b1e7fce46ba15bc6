import { WindowUsage } from './window-usage.js';

/**
 * Per-tenant pacing so a tenant's Intune budget is used fully without tripping 429s.
 *
 * Intune counts requests per app and tenant over a sliding window (≈1,000 requests and 100 writes per
 * 20 s). A token bucket refilled at `utilization × limit / window` with a capacity of at most one batch
 * keeps every window under the limit: in any span T it lets through at most capacity + rate·T requests.
 * On a 429 the whole tenant waits for Retry-After and the rate drops; it climbs back on successes.
 */
export interface PacerOptions {
  requestsPerWindow: number;
  writesPerWindow: number;
  windowSeconds: number;
  /** Share of the budget to aim for (0 < u ≤ 1). */
  utilization: number;
  /** Bucket capacity in requests; a `$batch` of 20 costs 20. */
  burst: number;
}

export const INTUNE_PACING: PacerOptions = {
  requestsPerWindow: 1000,
  writesPerWindow: 100,
  windowSeconds: 20,
  utilization: 0.96,
  burst: 20,
};

class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly capacity: number,
    private ratePerMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  setRate(ratePerMs: number, now: number): void {
    this.refill(now);
    this.ratePerMs = ratePerMs;
  }

  waitMs(cost: number, now: number): number {
    this.refill(now);
    const needed = Math.min(cost, this.capacity);
    if (this.tokens >= needed) return 0;
    return Math.ceil((needed - this.tokens) / this.ratePerMs);
  }

  take(cost: number): void {
    this.tokens -= Math.min(cost, this.capacity);
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.ratePerMs);
    this.last = now;
  }
}

interface Waiter {
  cost: number;
  write: boolean;
  priority: number;
  resolve: () => void;
}

/**
 * Puts `waiter` behind every waiter of the same or a lower priority number and before those of a higher one: first
 * come, first served within a priority. Queues are short (a tenant's requests waiting), and most come last.
 */
function enqueue<T extends { priority: number }>(queue: T[], waiter: T): void {
  let index = queue.length;
  while (index > 0 && queue[index - 1].priority > waiter.priority) index -= 1;
  queue.splice(index, 0, waiter);
}

export class RequestPacer {
  private readonly requests?: TokenBucket;
  private readonly writes?: TokenBucket;
  private readonly queue: Waiter[] = [];
  private blockedUntil = 0;
  private rateFactor = 1;
  private timer: NodeJS.Timeout | undefined;
  private readonly usage?: WindowUsage;

  constructor(
    private readonly options: PacerOptions | false,
    private readonly now: () => number = Date.now,
  ) {
    if (options) {
      this.usage = new WindowUsage(options.windowSeconds);
      const windowMs = options.windowSeconds * 1000;
      this.requests = new TokenBucket(options.burst, this.baseRate(options.requestsPerWindow), now());
      // Any window lets through capacity + rate × window writes: keep that sum at utilization × limit
      // (a capacity of limit/10 on top of the full rate overshot the write budget by 6% in the first window).
      const writeCapacity = Math.max(1, Math.min(options.burst, Math.floor(options.writesPerWindow * (1 - options.utilization))));
      const writesPerWindow = Math.max(options.writesPerWindow * options.utilization - writeCapacity, options.writesPerWindow * options.utilization * 0.5);
      this.writes = new TokenBucket(writeCapacity, writesPerWindow / windowMs, now());
    }
  }

  /**
   * Resolves when `cost` requests (of which writes if `write`) may be sent for this tenant. A waiter with a lower
   * `priority` number goes first (see `GraphClient.withPriority`).
   */
  acquire(cost: number, write: boolean, priority = 0): Promise<void> {
    return new Promise((resolve) => {
      enqueue(this.queue, { cost, write, priority, resolve });
      this.pump();
    });
  }

  /** Nothing is sent to the tenant before `until` (Retry-After on a 429 or 503). */
  blockUntil(until: number): void {
    if (until > this.blockedUntil) this.blockedUntil = until;
    this.reschedule(0);
  }

  get blockedUntilMs(): number {
    return this.blockedUntil;
  }

  /** Share of the window's request and write limits sent over the last window; undefined without pacing. */
  budgetUsed(): { requests: number; writes: number } | undefined {
    if (!this.options || !this.usage) return undefined;
    const { requests, writes } = this.usage.total(this.now());
    return { requests: requests / this.options.requestsPerWindow, writes: writes / this.options.writesPerWindow };
  }

  onThrottled(): void {
    this.setFactor(Math.max(0.2, this.rateFactor * 0.7));
  }

  onSuccess(cost = 1): void {
    if (this.rateFactor < 1) this.setFactor(Math.min(1, this.rateFactor + 0.002 * cost));
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of this.queue.splice(0)) waiter.resolve();
  }

  private baseRate(perWindow: number): number {
    if (!this.options) return 0;
    return (perWindow * this.options.utilization * this.rateFactor) / (this.options.windowSeconds * 1000);
  }

  private setFactor(factor: number): void {
    this.rateFactor = factor;
    if (this.options && this.requests) this.requests.setRate(this.baseRate(this.options.requestsPerWindow), this.now());
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const now = this.now();
      if (this.blockedUntil > now) return this.reschedule(this.blockedUntil - now);
      const head = this.queue[0];
      const wait = Math.max(this.requests?.waitMs(head.cost, now) ?? 0, head.write ? (this.writes?.waitMs(1, now) ?? 0) : 0);
      if (wait > 0) return this.reschedule(wait);
      this.requests?.take(head.cost);
      if (head.write) this.writes?.take(1);
      this.usage?.record(head.cost, head.write, now);
      this.queue.shift();
      head.resolve();
    }
  }

  private reschedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    if (delayMs <= 0) {
      queueMicrotask(() => this.pump());
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, delayMs);
  }
}

/** Bounds the requests in flight for one tenant; a waiter with a lower `priority` number gets a free place first. */
export class Semaphore {
  private available: number;
  private readonly waiters: Array<{ priority: number; resolve: () => void }> = [];

  constructor(capacity: number) {
    this.available = capacity;
  }

  async run<T>(task: () => Promise<T>, priority = 0): Promise<T> {
    if (this.available > 0) this.available -= 1;
    else await new Promise<void>((resolve) => enqueue(this.waiters, { priority, resolve }));
    try {
      return await task();
    } finally {
      const next = this.waiters.shift();
      if (next) next.resolve();
      else this.available += 1;
    }
  }
}

import CircuitBreaker from 'opossum';
import { countsAgainstBreaker } from '../errors/graph-error.js';
import { RequestPacer, Semaphore, type PacerOptions } from '../pacing/request-pacer.js';
import type { TokenProvider } from '../auth/token-provider.js';
import type { CircuitState } from './graph-client.js';
import { graphBreakerOpened } from '../metrics/graph.metrics.js';

export interface BreakerOptions {
  /** Failure percentage (5xx, timeouts, connection failures) over the rolling window that opens the breaker. */
  errorThresholdPercentage: number;
  /** Minimum calls in the window before the breaker may open. */
  volumeThreshold: number;
  /** How long the breaker stays open before letting one trial request through (half-open). */
  resetTimeoutMs: number;
  rollingWindowMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = {
  errorThresholdPercentage: 50,
  volumeThreshold: 10,
  resetTimeoutMs: 30_000,
  rollingWindowMs: 30_000,
};

type Task = () => Promise<unknown>;

/** Everything shared by the clients of one customer directory: token, pacing, concurrency, breaker. */
export class TenantContext {
  readonly pacer: RequestPacer;
  readonly semaphore: Semaphore;
  readonly breaker: CircuitBreaker<[Task], unknown>;
  private openedAt = 0;

  constructor(
    readonly tenantId: string,
    readonly tokenProvider: TokenProvider,
    pacing: PacerOptions | false,
    maxConcurrentRequests: number,
    private readonly breakerOptions: BreakerOptions,
    now: () => number = Date.now,
  ) {
    this.pacer = new RequestPacer(pacing, now);
    this.semaphore = new Semaphore(maxConcurrentRequests);
    this.breaker = new CircuitBreaker((task: Task) => task(), {
      name: `graph:${tenantId}`,
      timeout: false,
      errorThresholdPercentage: breakerOptions.errorThresholdPercentage,
      volumeThreshold: breakerOptions.volumeThreshold,
      resetTimeout: breakerOptions.resetTimeoutMs,
      rollingCountTimeout: breakerOptions.rollingWindowMs,
      rollingCountBuckets: 10,
      // Filtered errors (4xx, including 429) are the tenant answering normally; they do not count.
      errorFilter: (error: unknown) => !countsAgainstBreaker(error),
    });
    this.breaker.on('open', () => {
      this.openedAt = Date.now();
      graphBreakerOpened.inc({});
    });
  }

  state(): CircuitState {
    if (this.breaker.opened) return 'open';
    if (this.breaker.halfOpen) return 'halfOpen';
    return 'closed';
  }

  /** Seconds until the open breaker lets a trial request through (at least 1). */
  retryAfterSeconds(): number {
    const remaining = this.openedAt + this.breakerOptions.resetTimeoutMs - Date.now();
    return Math.max(1, Math.ceil(remaining / 1000));
  }

  shutdown(): void {
    this.breaker.shutdown();
    this.pacer.close();
  }
}

import { SafeErrorCode, type SafeError } from '@policyvault/contracts';
import { GraphError, ReadOnlyViolationError, TenantThrottledError } from '@policyvault/graph';
import { RunCanceled } from './run-canceled.js';

/**
 * Thrown inside a job to hand its command back to JetStream for later (the tenant's breaker is open,
 * Graph or a store failed a whole call after its retries, the worker is shutting down). The job runner
 * turns it into `Outcome.retry`; items already done are skipped or re-reported idempotently on the
 * redelivery.
 */
export class PostponeRun extends Error {
  constructor(
    readonly delayMs: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'PostponeRun';
  }
}

/** The delay before the next delivery of a command delivered `deliveryCount` times (RETRY_DELAYS_MS). */
export function retryDelayMs(schedule: readonly number[], deliveryCount: number): number {
  return schedule[Math.min(Math.max(deliveryCount, 1) - 1, schedule.length - 1)];
}

/** TenantUnavailable: the breaker is open, or Graph kept throttling past the client's throttle budget. */
const postponeForBreaker = (error: GraphError) =>
  new PostponeRun(
    Math.max(1, error.retryAfterSeconds ?? 30) * 1000,
    error instanceof TenantThrottledError ? 'tenant throttled (throttle budget spent)' : 'tenant unavailable (circuit breaker open)',
  );

/**
 * A Graph failure of a whole call (a listing, a batch): postponed by `delayMs` (the job's retryDelayMs)
 * when waiting may help, otherwise a safe error for the items it concerned. A read-only violation is
 * never an item's failure: it ends the run (rethrown); anything that is not a GraphError is a bug.
 */
export function graphFailure(error: unknown, delayMs: number, policyType?: string): SafeError {
  if (!(error instanceof GraphError) || error instanceof ReadOnlyViolationError) throw error;
  if (error.code === SafeErrorCode.TenantUnavailable) throw postponeForBreaker(error);
  if (error.transient) throw new PostponeRun(delayMs, `graph call failed (${error.code})`);
  return error.toSafeError(policyType);
}

/** A failure concerning one object: only an open breaker postpones; the rest fails the one item. */
export function itemFailure(error: unknown, policyType: string): SafeError {
  if (!(error instanceof GraphError) || error instanceof ReadOnlyViolationError) throw error;
  if (error.code === SafeErrorCode.TenantUnavailable) throw postponeForBreaker(error);
  return error.toSafeError(policyType);
}

/**
 * The check between items: a worker shutting down hands the run back (PostponeRun); a run someone
 * asked to cancel stops (RunCanceled). Both are thrown, so no new item starts.
 */
export function runCheckpoint(signal: AbortSignal, isCancelRequested: () => Promise<boolean>): () => Promise<void> {
  return async () => {
    if (signal.aborted) throw new PostponeRun(0, 'shutting down');
    if (await isCancelRequested()) throw new RunCanceled();
  };
}

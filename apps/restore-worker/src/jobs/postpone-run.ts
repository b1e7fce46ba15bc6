import { SafeErrorCode, type SafeError } from '@policyvault/contracts';
import { GraphError, ReadOnlyViolationError } from '@policyvault/graph';

/**
 * Thrown inside a job to hand its command back to JetStream for later (the tenant's breaker is open,
 * Graph or the backup store failed a whole call after retries, the worker is shutting down). The job
 * runner turns it into `Outcome.retry`; items already done are re-reported from the database.
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

const TRANSIENT_RETRY_MS = [1000, 5000, 15_000, 30_000, 60_000];

const postponeForBreaker = (error: GraphError) =>
  new PostponeRun(Math.max(1, error.retryAfterSeconds ?? 30) * 1000, 'tenant unavailable (circuit breaker open)');

/**
 * A Graph failure of a whole call (a listing, a batch): postponed when waiting may help, otherwise a
 * safe error for the items it concerned. A read-only violation is never an item's failure: it ends the
 * preview (rethrown). Anything that is not a GraphError is a bug: rethrown.
 */
export function graphFailure(error: unknown, deliveryCount: number, policyType?: string): SafeError {
  if (!(error instanceof GraphError) || error instanceof ReadOnlyViolationError) throw error;
  if (error.code === SafeErrorCode.TenantUnavailable) throw postponeForBreaker(error);
  if (error.transient) {
    throw new PostponeRun(TRANSIENT_RETRY_MS[Math.min(deliveryCount - 1, TRANSIENT_RETRY_MS.length - 1)], `graph call failed (${error.code})`);
  }
  return error.toSafeError(policyType);
}

/** A failure concerning one object: only an open breaker postpones; the rest fails the one item. */
export function itemFailure(error: unknown, policyType: string): SafeError {
  if (!(error instanceof GraphError) || error instanceof ReadOnlyViolationError) throw error;
  if (error.code === SafeErrorCode.TenantUnavailable) throw postponeForBreaker(error);
  return error.toSafeError(policyType);
}

export function throwIfShuttingDown(signal: AbortSignal): void {
  if (signal.aborted) throw new PostponeRun(0, 'shutting down');
}

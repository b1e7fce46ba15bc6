import { SafeErrorCode, type SafeError } from '@policyvault/contracts';
import { GraphError } from '@policyvault/graph';
import { RunCanceled } from './run-canceled.js';

/**
 * Thrown inside a job to hand its command back to JetStream for later (the tenant's breaker is open,
 * Graph failed a whole request after its retries, the worker is shutting down). The handler turns it
 * into `Outcome.retry`; items already done are skipped or re-reported idempotently on the redelivery.
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

const TRANSIENT_RETRY_MS = [1000, 2000, 5000, 10_000, 30_000];

/**
 * A Graph failure of a whole call (a listing, a batch): postponed when waiting may help, otherwise a
 * safe error for the items it concerned. Anything that is not a GraphError is a bug: rethrown.
 */
export function graphFailure(error: unknown, deliveryCount: number, policyType?: string): SafeError {
  if (!(error instanceof GraphError)) throw error;
  if (error.code === SafeErrorCode.TenantUnavailable) {
    throw new PostponeRun(Math.max(1, error.retryAfterSeconds ?? 30) * 1000, 'tenant unavailable (circuit breaker open)');
  }
  if (error.transient) {
    throw new PostponeRun(TRANSIENT_RETRY_MS[Math.min(deliveryCount - 1, TRANSIENT_RETRY_MS.length - 1)], `graph call failed (${error.code})`);
  }
  return error.toSafeError(policyType);
}

/** A per-object failure inside a batch: only an open breaker postpones; the rest fails the one item. */
export function itemFailure(error: GraphError, policyType: string): SafeError {
  if (error.code === SafeErrorCode.TenantUnavailable) {
    throw new PostponeRun(Math.max(1, error.retryAfterSeconds ?? 30) * 1000, 'tenant unavailable (circuit breaker open)');
  }
  return error.toSafeError(policyType);
}

export function throwIfShuttingDown(signal: AbortSignal): void {
  if (signal.aborted) throw new PostponeRun(0, 'shutting down');
}

/**
 * The check between items: a worker shutting down hands the run back (PostponeRun); a run someone
 * asked to cancel stops (RunCanceled). Both are thrown, so no new item starts.
 */
export function runCheckpoint(signal: AbortSignal, isCancelRequested: () => Promise<boolean>): () => Promise<void> {
  return async () => {
    throwIfShuttingDown(signal);
    if (await isCancelRequested()) throw new RunCanceled();
  };
}

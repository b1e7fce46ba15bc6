import { RequestError, RequestOne } from '@nats-io/nats-core/internal';

/** The one error a request cancelled without a reason is rejected with (see settleAnsweredRequestsQuietly). */
export const REQUEST_CANCELLED = new RequestError('cancelled');

let applied = false;

/**
 * nats.js ends every answered request by cancelling it (`RequestOne.resolver` calls `cancel()`), and `cancel()`
 * rejects the request's promise, settled by then, with a new `RequestError('cancelled')`, capturing a stack every
 * time for an error nobody can see: ~2 % of the gateway's and run-service's CPU on the start path, where every RPC and
 * JetStream publish is such a request (profiled). Here a cancel without a reason rejects with REQUEST_CANCELLED, made
 * once; a cancel with a reason (the connection closed, the publish failed) rejects with that reason, as before.
 * Nothing else changes: a request whose timeout fires first was answered by the timeout's own error already.
 * Applied once per process, by connectCoalescing (every connection a service opens).
 */
export function settleAnsweredRequestsQuietly(): void {
  if (applied) return;
  applied = true;
  const cancel = RequestOne.prototype.cancel;
  RequestOne.prototype.cancel = function cancelWithReason(this: RequestOne, error?: Error): void {
    cancel.call(this, error ?? REQUEST_CANCELLED);
  };
}

/**
 * What a JetStream message handler decided; the consumer turns it into ack, nak-with-delay or term.
 * Handlers return outcomes for expected situations instead of throwing (an unexpected throw is a
 * retry with backoff, bounded by the consumer's max_deliver).
 */
export type HandlerOutcome =
  | { kind: 'done' }
  | { kind: 'retry'; delayMs: number; reason: string }
  | { kind: 'reject'; reason: string };

export const Outcome = {
  done: (): HandlerOutcome => ({ kind: 'done' }),
  retry: (delayMs: number, reason: string): HandlerOutcome => ({ kind: 'retry', delayMs, reason }),
  reject: (reason: string): HandlerOutcome => ({ kind: 'reject', reason }),
};

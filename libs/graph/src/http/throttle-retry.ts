import { computeBackoffMs } from './backoff.js';

/**
 * Waiting out throttling (429, and 503 which Graph also sends when overloaded). Retry-After is always
 * honoured; without it the wait is full-jitter exponential: uniform in [0, min(maxDelayMs, baseDelayMs·2^(n-1))]
 * for the n-th throttled answer, so the ceiling reaches one Intune window (20 s) after a few answers.
 *
 * Bound: a request stops waiting once `budgetMs` (read or write budget) has passed since its first
 * throttled answer; the last wait is cut to what is left of the budget, and a Retry-After longer than
 * what is left is not waited at all. The caller then postpones the work (TenantThrottledError) instead
 * of failing it, so a restore item that Graph merely throttled is tried again on a later delivery.
 */
export interface ThrottleBackoffOptions {
  /** Ceiling of the first wait without Retry-After; it doubles with each throttled answer. */
  baseDelayMs: number;
  /** Ceiling of any one wait without Retry-After: at least one Intune window (20 s) in production. */
  maxDelayMs: number;
  /** How long a read keeps retrying throttled answers, from its first one. */
  readBudgetMs: number;
  /** How long a write (or a `$batch` holding one) keeps retrying; longer, so a restore's writes get through. */
  writeBudgetMs: number;
}

export const DEFAULT_THROTTLE_BACKOFF: ThrottleBackoffOptions = {
  baseDelayMs: 1000,
  maxDelayMs: 20_000,
  readBudgetMs: 120_000,
  writeBudgetMs: 300_000,
};

export type ThrottleWait = { wait: true; delayMs: number } | { wait: false; postponeSeconds: number };

/** One request's (or one `$batch` chunk's) throttled answers, measured against its budget. */
export class ThrottleRetry {
  private firstAt: number | undefined;
  private answers = 0;

  constructor(
    private readonly options: ThrottleBackoffOptions,
    private readonly budgetMs: number,
    private readonly now: () => number,
    private readonly random: () => number,
  ) {}

  /** The wait before the next try, or — the budget spent — how long the caller should postpone the work. */
  next(retryAfterSeconds: number | undefined): ThrottleWait {
    const now = this.now();
    this.firstAt ??= now;
    this.answers += 1;
    const remaining = this.firstAt + this.budgetMs - now;
    // A zero Retry-After says nothing about how long the tenant is throttled: treated as absent.
    if (retryAfterSeconds !== undefined && retryAfterSeconds > 0) {
      const delayMs = retryAfterSeconds * 1000;
      return delayMs <= remaining ? { wait: true, delayMs } : { wait: false, postponeSeconds: retryAfterSeconds };
    }
    if (remaining <= 0) return { wait: false, postponeSeconds: Math.max(1, Math.ceil(this.options.maxDelayMs / 1000)) };
    const delayMs = computeBackoffMs(this.answers, { baseDelayMs: this.options.baseDelayMs, maxDelayMs: this.options.maxDelayMs }, this.random);
    return { wait: true, delayMs: Math.min(delayMs, remaining) };
  }
}

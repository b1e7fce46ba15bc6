export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * "Full jitter" exponential backoff: a uniform delay in [0, min(max, base·2^(attempt-1))], so that many
 * workers retrying the same tenant spread out instead of hitting it again in lockstep.
 * `attempt` is 1 for the first retry.
 */
export function computeBackoffMs(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}

/**
 * Parses a Retry-After header: delta-seconds or an HTTP date. Returns whole seconds (≥ 0), or undefined
 * when absent or unreadable. Values are capped so a hostile header cannot park a worker for days.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now(), maxSeconds = 3600): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = String(value).trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.min(maxSeconds, Math.ceil(Number(trimmed)));
  if (!/^[A-Za-z]{3},/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.min(maxSeconds, Math.max(0, Math.ceil((date - now) / 1000)));
}

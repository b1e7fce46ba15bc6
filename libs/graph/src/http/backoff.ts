// The one backoff formula lives in libs/platform (NATS and Postgres reconnects use it too).
export { computeBackoffMs, DEFAULT_BACKOFF, type BackoffOptions } from '@policyvault/platform';

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

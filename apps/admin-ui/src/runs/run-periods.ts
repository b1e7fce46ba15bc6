// The runs list's time filter: a period back from now, kept in the URL by name (a link shared tomorrow
// still means "the last 24 hours"), turned into the API's `queuedFrom` instant when the list is fetched.
export const RUN_PERIODS = {
  '1h': { label: 'Last hour', ms: 3_600_000 },
  '24h': { label: 'Last 24 hours', ms: 86_400_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 86_400_000 },
  '30d': { label: 'Last 30 days', ms: 30 * 86_400_000 },
} as const;

export type RunPeriod = keyof typeof RUN_PERIODS;

export const RUN_PERIOD_OPTIONS = (Object.entries(RUN_PERIODS) as [RunPeriod, { label: string }][]).map(([value, { label }]) => ({ value, label }));

export function isRunPeriod(value: unknown): value is RunPeriod {
  return typeof value === 'string' && Object.hasOwn(RUN_PERIODS, value);
}

/** The instant the period starts at (ISO 8601), or undefined for no period. */
export function periodStart(period: string | undefined, now: number = Date.now()): string | undefined {
  return isRunPeriod(period) ? new Date(now - RUN_PERIODS[period].ms).toISOString() : undefined;
}

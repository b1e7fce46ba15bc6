import { RunStatus, type RunStatusEvent } from '@policyvault/contracts';

const STATUSES = new Set<string>(Object.values(RunStatus));

/**
 * A run-status event from the stream, or null when it is not one. Only what the gateway relies on
 * is checked (run, tenant, status, counts): run-service validated the full contract on the way in,
 * and this runs for every event the gateway reads (once per process, RunEventDecoder).
 */
export function readRunStatusEvent(data: string): RunStatusEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const event = value as Partial<RunStatusEvent>;
  const counts = event.counts as Partial<RunStatusEvent['counts']> | undefined;
  const valid =
    typeof event.eventId === 'string' &&
    typeof event.runId === 'string' &&
    typeof event.tenantId === 'string' &&
    typeof event.status === 'string' &&
    STATUSES.has(event.status) &&
    typeof counts === 'object' &&
    counts !== null &&
    [counts.total, counts.succeeded, counts.failed, counts.skipped].every((count) => Number.isInteger(count));
  return valid ? (value as RunStatusEvent) : null;
}

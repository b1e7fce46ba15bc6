// What a notification says about one run transition. Pure functions: everything comes from the
// (validated) run status event, and the only error text kept is the safe error's code and message.
import {
  RUN_TYPES_REGISTRY,
  RunStatus,
  sanitizeSafeError,
  type RunStatusEvent,
  type SafeError,
} from '@policyvault/contracts';

export interface NotificationContent {
  title: string;
  body: string;
  error: SafeError | null;
  link: string;
}

const STATUS_PHRASES: Record<RunStatus, string> = {
  [RunStatus.Queued]: 'is queued',
  [RunStatus.Running]: 'started',
  [RunStatus.Succeeded]: 'finished',
  [RunStatus.Partial]: 'finished with errors',
  [RunStatus.Failed]: 'failed',
  [RunStatus.Canceled]: 'was canceled',
};

type Counts = RunStatusEvent['counts'];

export function notificationContent(event: RunStatusEvent, uiBaseUrl: string): NotificationContent {
  return {
    title: `${RUN_TYPES_REGISTRY[event.type].label} ${STATUS_PHRASES[event.status]}`,
    body: notificationBody(event.status, event.counts),
    error: errorSummary(event),
    link: runLink(uiBaseUrl, event.tenantId, event.runId),
  };
}

export function runLink(uiBaseUrl: string, tenantId: string, runId: string): string {
  return `${uiBaseUrl.replace(/\/+$/, '')}/tenants/${encodeURIComponent(tenantId)}/runs/${encodeURIComponent(runId)}`;
}

function notificationBody(status: RunStatus, counts: Counts): string {
  switch (status) {
    case RunStatus.Queued:
      return 'Waiting for a worker to pick it up.';
    case RunStatus.Running:
      return counts.total > 0 ? `Working on ${items(counts.total)}.` : 'In progress.';
    case RunStatus.Succeeded:
    case RunStatus.Partial:
    case RunStatus.Failed:
      return counts.total > 0 ? `${outcomeSentence(counts)}.` : status === RunStatus.Failed ? 'No items were processed.' : 'There was nothing to do.';
    case RunStatus.Canceled: {
      const done = counts.succeeded + counts.failed + counts.skipped;
      return done > 0 ? `Stopped after ${done} of ${items(counts.total)}: ${outcomeSentence(counts)}.` : 'Canceled before any item was processed.';
    }
    default:
      return assertNever(status);
  }
}

/** "57 of 60 items succeeded, 3 failed" (failed and skipped only when there are some). */
function outcomeSentence(counts: Counts): string {
  const parts = [`${counts.succeeded} of ${items(counts.total)} succeeded`];
  if (counts.failed > 0) parts.push(`${counts.failed} failed`);
  if (counts.skipped > 0) parts.push(`${counts.skipped} skipped`);
  return parts.join(', ');
}

function items(count: number): string {
  return `${count} ${count === 1 ? 'item' : 'items'}`;
}

/** Only failed and partial runs carry an error, and only its code and message (defence in depth). */
function errorSummary(event: RunStatusEvent): SafeError | null {
  if (!event.error || (event.status !== RunStatus.Failed && event.status !== RunStatus.Partial)) return null;
  const { code, message } = sanitizeSafeError(event.error as SafeError);
  return { code, message };
}

function assertNever(value: never): never {
  throw new Error(`unexpected value ${String(value)}`);
}

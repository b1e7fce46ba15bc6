// What a notification says about one run transition. Pure functions: everything comes from the
// (validated) run status event, and the only error text kept is the safe error's code and message.
import {
  RUN_TYPES_REGISTRY,
  RunStatus,
  RunType,
  type DriftCheckSummary,
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
  const drift = driftFound(event);
  if (drift) {
    return {
      title: 'Drift detected',
      body: `${driftSentence(drift)} since the baseline backup.`,
      error: null,
      link: `${uiBaseUrl.replace(/\/+$/, '')}/tenants/${encodeURIComponent(event.tenantId)}/drift-reports/${encodeURIComponent(drift.reportId)}`,
    };
  }
  return {
    title: `${RUN_TYPES_REGISTRY[event.type].label} ${STATUS_PHRASES[event.status]}`,
    body: notificationBody(event.status, event.counts),
    error: errorSummary(event),
    link: runLink(uiBaseUrl, event.tenantId, event.runId),
  };
}

/**
 * The summary of a drift check that ended and found drift (its owners are told, once per report), or
 * undefined for any other transition.
 */
export function driftFound(event: RunStatusEvent): DriftCheckSummary | undefined {
  if (event.type !== RunType.DriftCheck || (event.status !== RunStatus.Succeeded && event.status !== RunStatus.Partial)) return undefined;
  const summary = event.summary as Partial<DriftCheckSummary> | undefined;
  if (!summary || summary.driftStatus !== 'drifted' || typeof summary.reportId !== 'string') return undefined;
  return summary as DriftCheckSummary;
}

/** "3 changed, 1 removed" (changed, removed, added: only those there are). */
function driftSentence(drift: DriftCheckSummary): string {
  const parts = [
    [drift.changed, 'changed'],
    [drift.removed, 'removed'],
    [drift.added, 'added'],
  ].filter(([count]) => Number(count) > 0);
  return parts.map(([count, word]) => `${count} ${word}`).join(', ');
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

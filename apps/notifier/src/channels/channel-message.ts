// The channel-neutral message a delivery carries (its `payload`), and how each channel renders it.
// Built from the validated run status event: safe content only (counts, the safe error's code and
// message, a link to the admin UI), never a secret or token.
import {
  RUN_TYPES_REGISTRY,
  NotificationEventKind,
  RunStatus,
  RunType,
  ScheduleAlertKind,
  TenantAccessHealth,
  type RunStatusEvent,
  type SafeError,
  type ScheduleAlertEvent,
  type TenantVerifyAccessSummary,
} from '@policyvault/contracts';
import { driftFound, notificationContent } from '../notifications/notification-content.js';

export type ChannelEventKind = NotificationEventKind | 'digest' | 'endpoint.disabled' | 'test';

export interface DigestEntry {
  key: string;
  kind: NotificationEventKind;
  title: string;
  link: string;
  occurredAt: string;
}

export interface ChannelMessage {
  kind: ChannelEventKind;
  tenantId: string;
  title: string;
  summary: string;
  link: string | null;
  occurredAt: string;
  run?: { id: string; type: RunType; status: RunStatus; counts: RunStatusEvent['counts'] };
  error?: SafeError | null;
  schedule?: { id: string; name: string; slotAt?: string; runId?: string; consecutiveFailures?: number };
  /** Digests: what they summarize. */
  entries?: DigestEntry[];
}

/** The kinds a run transition is, for subscriptions (none for most transitions). */
export function eventKindsOf(event: RunStatusEvent): NotificationEventKind[] {
  const kinds: NotificationEventKind[] = [];
  if (event.type === RunType.TenantVerifyAccess) {
    const health = (event.summary as Partial<TenantVerifyAccessSummary> | undefined)?.health;
    const ended = event.status === RunStatus.Succeeded || event.status === RunStatus.Partial || event.status === RunStatus.Failed;
    if (ended && health !== undefined && health !== TenantAccessHealth.Ok) kinds.push(NotificationEventKind.TenantAccessLost);
  }
  if (event.status === RunStatus.Failed) kinds.push(NotificationEventKind.RunFailed);
  if (event.status === RunStatus.Partial) kinds.push(NotificationEventKind.RunPartial);
  if (driftFound(event)) kinds.push(NotificationEventKind.DriftFound);
  return kinds;
}

export function runMessage(event: RunStatusEvent, kind: NotificationEventKind, uiBaseUrl: string): ChannelMessage {
  const content = notificationContent(event, uiBaseUrl);
  const title = kind === NotificationEventKind.TenantAccessLost ? 'Tenant access lost' : content.title;
  const summary =
    kind === NotificationEventKind.TenantAccessLost
      ? `The access check found: ${String((event.summary as Partial<TenantVerifyAccessSummary> | undefined)?.health ?? 'failed').replace(/_/g, ' ')}.`
      : content.body;
  return {
    kind,
    tenantId: event.tenantId,
    title,
    summary,
    link: content.link,
    occurredAt: event.occurredAt,
    run: { id: event.runId, type: event.type, status: event.status, counts: event.counts },
    error: content.error,
  };
}

/** The subscription kind of a schedule alert. */
export function scheduleAlertKindOf(event: ScheduleAlertEvent): NotificationEventKind {
  return event.kind === ScheduleAlertKind.Skipped ? NotificationEventKind.ScheduleSkipped : NotificationEventKind.ScheduleFailing;
}

export function scheduleAlertMessage(event: ScheduleAlertEvent, uiBaseUrl: string): ChannelMessage {
  const kind = scheduleAlertKindOf(event);
  const skipped = event.kind === ScheduleAlertKind.Skipped;
  const failures = event.consecutiveFailures ?? 0;
  return {
    kind,
    tenantId: event.tenantId,
    title: skipped ? `Schedule "${event.scheduleName}" skipped a slot` : `Schedule "${event.scheduleName}" failed ${failures} times in a row`,
    summary: skipped ? `The slot of ${event.slotAt ?? event.occurredAt} was skipped: ${event.reason ?? 'no reason given'}.` : `Its latest ${failures} runs failed.`,
    link: `${uiBaseUrl.replace(/\/+$/, '')}/tenants/${encodeURIComponent(event.tenantId)}/schedules/${encodeURIComponent(event.scheduleId)}`,
    occurredAt: event.occurredAt,
    schedule: { id: event.scheduleId, name: event.scheduleName, slotAt: event.slotAt, runId: event.runId, consecutiveFailures: event.consecutiveFailures },
  };
}

export function digestMessage(tenantId: string, entries: DigestEntry[], uiBaseUrl: string, openedAt: Date): ChannelMessage {
  const byKind = new Map<string, number>();
  for (const entry of entries) byKind.set(entry.kind, (byKind.get(entry.kind) ?? 0) + 1);
  const parts = [...byKind].map(([kind, count]) => `${count} ${KIND_LABELS[kind as NotificationEventKind] ?? kind}`);
  return {
    kind: 'digest',
    tenantId,
    title: `PolicyVault digest: ${entries.length} event${entries.length === 1 ? '' : 's'}`,
    summary: `Since ${openedAt.toISOString()}: ${parts.join(', ')}.`,
    link: `${uiBaseUrl.replace(/\/+$/, '')}/tenants/${encodeURIComponent(tenantId)}/runs`,
    occurredAt: new Date().toISOString(),
    entries,
  };
}

export function endpointDisabledMessage(tenantId: string, endpointName: string, reason: string): ChannelMessage {
  return {
    kind: 'endpoint.disabled',
    tenantId,
    title: `Notification endpoint "${endpointName}" was disabled`,
    summary: reason,
    link: null,
    occurredAt: new Date().toISOString(),
  };
}

export function testMessage(tenantId: string, uiBaseUrl: string): ChannelMessage {
  return {
    kind: 'test',
    tenantId,
    title: 'PolicyVault test notification',
    summary: 'This endpoint receives PolicyVault notifications.',
    link: `${uiBaseUrl.replace(/\/+$/, '')}/tenants/${encodeURIComponent(tenantId)}/runs`,
    occurredAt: new Date().toISOString(),
  };
}

const KIND_LABELS: Record<NotificationEventKind, string> = {
  [NotificationEventKind.RunFailed]: 'failed runs',
  [NotificationEventKind.RunPartial]: 'runs finished with errors',
  [NotificationEventKind.DriftFound]: 'drift reports',
  [NotificationEventKind.TenantAccessLost]: 'access problems',
  [NotificationEventKind.ScheduleSkipped]: 'skipped schedule slots',
  [NotificationEventKind.ScheduleFailing]: 'failing schedules',
};

export function runTypeLabel(type: RunType): string {
  return RUN_TYPES_REGISTRY[type].label;
}

/** A Teams message: one Adaptive Card (schema 1.4) with the status, counts, safe error and a button to the run. */
export function adaptiveCardMessage(message: ChannelMessage): object {
  const facts: { title: string; value: string }[] = [];
  if (message.run) {
    facts.push({ title: 'Run', value: runTypeLabel(message.run.type) });
    facts.push({ title: 'Status', value: message.run.status });
    const counts = message.run.counts;
    facts.push({ title: 'Items', value: `${counts.succeeded} succeeded, ${counts.failed} failed, ${counts.skipped} skipped of ${counts.total}` });
  }
  if (message.error) facts.push({ title: 'Error', value: `${message.error.message} (${message.error.code})` });
  const body: object[] = [
    { type: 'TextBlock', text: message.title, weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: message.summary, wrap: true },
  ];
  if (facts.length > 0) body.push({ type: 'FactSet', facts });
  if (message.entries?.length) {
    body.push({ type: 'TextBlock', text: message.entries.slice(0, 20).map((entry) => `- ${entry.title}`).join('\n'), wrap: true });
  }
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          actions: message.link ? [{ type: 'Action.OpenUrl', title: message.run ? 'Open the run' : 'Open PolicyVault', url: message.link }] : [],
        },
      },
    ],
  };
}

export function emailText(message: ChannelMessage): string {
  const lines = [message.title, '', message.summary];
  if (message.error) lines.push('', `Error: ${message.error.message} (${message.error.code})`);
  if (message.entries?.length) lines.push('', ...message.entries.map((entry) => `- ${entry.title}: ${entry.link}`));
  if (message.link) lines.push('', message.link);
  return lines.join('\n');
}

export function emailHtml(message: ChannelMessage): string {
  const parts = [`<h2>${escapeHtml(message.title)}</h2>`, `<p>${escapeHtml(message.summary)}</p>`];
  if (message.error) parts.push(`<p><strong>Error:</strong> ${escapeHtml(message.error.message)} (${escapeHtml(message.error.code)})</p>`);
  if (message.entries?.length) {
    parts.push(`<ul>${message.entries.map((entry) => `<li><a href="${escapeHtml(entry.link)}">${escapeHtml(entry.title)}</a></li>`).join('')}</ul>`);
  }
  if (message.link) parts.push(`<p><a href="${escapeHtml(message.link)}">Open in PolicyVault</a></p>`);
  return `<!doctype html><html><body>${parts.join('')}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

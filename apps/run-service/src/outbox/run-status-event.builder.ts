import type { DataSource, EntityManager } from 'typeorm';
import { RunStatusEvent, RunStatusEventKind, isTerminalRunStatus, type JetStreamNames, type SafeErrorMessage } from '@policyvault/contracts';
import { traceCarrier, validateMessage } from '@policyvault/platform';
import type { RunEntity } from '../runs/run.entity.js';
import { insertOutboxRow, type ClaimedOutboxRow } from '../database/run-service.sql.js';
import { OutboxEntity } from './outbox.entity.js';

/** An outbox row before it is written: where it goes, its de-duplication id and its payload. */
type OutboxMessage = Pick<OutboxEntity, 'subject' | 'messageId' | 'payload'>;

/**
 * The run-status event announcing `run` as it is now inside the caller's transaction, so the event
 * commits with the change it announces. The message id (also the event id) is unique per transition
 * (`run:<id>:status:<status>`) or per progress step (`run:<id>:progress:<finished items>`): a repeated
 * change adds no second event, and readers de-duplicate on it. Transitions go to
 * `<ns>.evt.run.status.v1.<tenant>`, progress to `<ns>.evt.run.progress.v1.<tenant>`.
 */
export function buildRunStatusEvent(
  run: Pick<RunEntity, 'id' | 'tenantId' | 'type' | 'status' | 'cancelRequested' | 'totalItems' | 'succeededItems' | 'failedItems' | 'skippedItems' | 'initiatorUserId' | 'initiatorEmail' | 'error'> & Partial<Pick<RunEntity, 'summary'>>,
  names: JetStreamNames,
  kind: RunStatusEventKind,
  occurredAt = new Date(),
): OutboxMessage {
  const progress = kind === RunStatusEventKind.Progress;
  const step = progress ? `progress:${run.succeededItems + run.failedItems + run.skippedItems}` : `status:${run.status}`;
  const event: RunStatusEvent = {
    eventId: `run:${run.id}:${step}`,
    kind,
    runId: run.id,
    tenantId: run.tenantId,
    type: run.type,
    status: run.status,
    cancelRequested: run.cancelRequested,
    counts: { total: run.totalItems, succeeded: run.succeededItems, failed: run.failedItems, skipped: run.skippedItems },
    initiator: { userId: run.initiatorUserId, email: run.initiatorEmail },
    error: (run.error as SafeErrorMessage | null) ?? undefined,
    ...(!progress && isTerminalRunStatus(run.status) && run.summary ? { summary: run.summary } : {}),
    occurredAt: occurredAt.toISOString(),
  };
  const validated = validateMessage(RunStatusEvent, event);
  // A run row always makes a valid event; failing here is a bug, and it rolls the change back with it.
  if (!validated.ok) throw new Error(`run-status event of run ${run.id} is invalid: ${validated.problems.join('; ')}`);
  return {
    subject: progress ? names.runProgressSubject(run.tenantId) : names.runStatusSubject(run.tenantId),
    messageId: event.eventId,
    payload: { ...event, error: run.error },
  };
}

/**
 * Writes the event announcing `run` (as it is now) in the caller's transaction, and answers its outbox row (for
 * `OutboxRelay.publishCommitted` once committed); an event already written for this step is kept (undefined).
 */
export function enqueueRunStatusEvent(manager: DataSource | EntityManager, run: RunEntity, names: JetStreamNames, kind: RunStatusEventKind): Promise<ClaimedOutboxRow | undefined> {
  return insertOutboxRow(manager, { ...buildRunStatusEvent(run, names, kind), traceContext: traceCarrier() });
}

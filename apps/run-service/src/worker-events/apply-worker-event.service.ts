import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  RunStatus,
  RunStatusEventKind,
  WorkerRunOutcome,
  isTerminalRunStatus,
  sanitizeSafeError,
  type SafeError,
  type WorkerItemFinishedEvent,
  type WorkerRunFinishedEvent,
  type WorkerRunStartedEvent,
} from '@policyvault/contracts';
import { JETSTREAM_NAMES, Outcome, type HandlerOutcome, type JetStreamNames } from '@policyvault/platform';
import { OutboxRelay } from '../outbox/outbox-relay.service.js';
import { AuditService } from '../audit/audit.service.js';
import { recordRunOutcomeAudit, type AuditedRun } from '../audit/run-outcome.audit.js';
import { enqueueRunStatusEvent } from '../status/run-status-outbox.js';

/** How long a run-finished event waits for item events still in flight before the run ends anyway. */
export const FINISH_WAIT_ATTEMPTS = 20;
const FINISH_WAIT_DELAY_MS = 500;

// Counts are always derived from the items, never incremented: redelivered events cannot skew them.
const RECOUNT_ITEMS = `
  UPDATE run_service.runs AS r SET
    succeeded_items = c.succeeded,
    failed_items = c.failed,
    skipped_items = c.skipped,
    total_items = GREATEST(COALESCE(r.planned_items, 0), c.total)
  FROM (
    SELECT count(*)::int AS total,
           count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded,
           count(*) FILTER (WHERE status = 'failed')::int AS failed,
           count(*) FILTER (WHERE status = 'skipped')::int AS skipped
    FROM run_service.run_items WHERE run_id = $1
  ) AS c
  WHERE r.id = $1
  RETURNING c.total, c.succeeded, c.failed, c.skipped`;

interface Counts {
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
}

/**
 * Applies worker events to the run tables idempotently: status only moves forward, a terminal run
 * never changes, and a duplicate or late event is a no-op. Each event locks its run row first, so
 * events of one run apply one at a time even across replicas.
 */
@Injectable()
export class ApplyWorkerEventService {
  constructor(
    @InjectDataSource() private readonly database: DataSource,
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
    private readonly relay: OutboxRelay,
    private readonly audit: AuditService,
  ) {}

  /** Runs `work` in a transaction; status events it enqueued are relayed right after the commit. */
  private async inTransaction(work: (manager: EntityManager) => Promise<HandlerOutcome>): Promise<HandlerOutcome> {
    const outcome = await this.database.transaction(work);
    this.relay.kick();
    return outcome;
  }

  private announce(manager: EntityManager, runId: string, kind: RunStatusEventKind): Promise<void> {
    return enqueueRunStatusEvent(manager, runId, this.names, kind);
  }

  runStarted(event: WorkerRunStartedEvent): Promise<HandlerOutcome> {
    return this.inTransaction(async (manager) => {
      const status = await this.lockRun(manager, event.runId, event.tenantId);
      if (status === undefined) return Outcome.reject(`run ${event.runId} does not exist in tenant ${event.tenantId}`);
      if (isTerminalRunStatus(status)) return Outcome.done();
      await manager.query(
        `UPDATE run_service.runs SET status = 'running',
           started_at = LEAST(COALESCE(started_at, $2), $2),
           planned_items = COALESCE($3, planned_items),
           total_items = GREATEST(total_items, COALESCE($3, 0))
         WHERE id = $1`,
        [event.runId, event.occurredAt, event.plannedItems ?? null],
      );
      if (status === RunStatus.Queued) await this.announce(manager, event.runId, RunStatusEventKind.Transition);
      return Outcome.done();
    });
  }

  itemFinished(event: WorkerItemFinishedEvent): Promise<HandlerOutcome> {
    return this.inTransaction(async (manager) => {
      const status = await this.lockRun(manager, event.runId, event.tenantId);
      if (status === undefined) return Outcome.reject(`run ${event.runId} does not exist in tenant ${event.tenantId}`);
      if (isTerminalRunStatus(status)) return Outcome.done();
      if (status === RunStatus.Queued) {
        await manager.query(
          `UPDATE run_service.runs SET status = 'running', started_at = LEAST(COALESCE(started_at, $2), $2) WHERE id = $1`,
          [event.runId, event.occurredAt],
        );
        // The transition is announced with the counts from before this item, then its progress.
        await this.announce(manager, event.runId, RunStatusEventKind.Transition);
      }
      // A later report of the same item (a retried item) replaces an earlier one, never the reverse.
      await manager.query(
        `INSERT INTO run_service.run_items (run_id, item_key, status, label, outcome, error, result, finished_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (run_id, item_key) DO UPDATE SET
           status = EXCLUDED.status, label = EXCLUDED.label, outcome = EXCLUDED.outcome,
           error = EXCLUDED.error, result = EXCLUDED.result, finished_at = EXCLUDED.finished_at
         WHERE run_service.run_items.finished_at < EXCLUDED.finished_at`,
        [
          event.runId,
          event.itemKey,
          event.status,
          event.label ?? null,
          event.outcome ?? null,
          event.error ? sanitizeSafeError(event.error) : null,
          event.result ?? null,
          event.occurredAt,
        ],
      );
      await this.recount(manager, event.runId);
      await this.announce(manager, event.runId, RunStatusEventKind.Progress);
      return Outcome.done();
    });
  }

  runFinished(event: WorkerRunFinishedEvent, deliveryCount: number): Promise<HandlerOutcome> {
    return this.inTransaction(async (manager) => {
      const run = await this.lockRunDetails(manager, event.runId, event.tenantId);
      const status = run?.status;
      if (status === undefined) return Outcome.reject(`run ${event.runId} does not exist in tenant ${event.tenantId}`);
      if (isTerminalRunStatus(status)) return Outcome.done();
      const counts = await this.recount(manager, event.runId);
      if (counts.total < event.itemCount && deliveryCount < FINISH_WAIT_ATTEMPTS) {
        return Outcome.retry(FINISH_WAIT_DELAY_MS, `waiting for ${event.itemCount - counts.total} item events`);
      }
      const finalStatus = terminalStatus(event, counts);
      const error = event.error
        ? sanitizeSafeError(event.error as SafeError)
        : finalStatus === RunStatus.Partial || finalStatus === RunStatus.Failed
          ? await this.summarizeItemErrors(manager, event.runId, counts)
          : null;
      await manager.query(
        `UPDATE run_service.runs SET status = $2,
           started_at = COALESCE(started_at, $3),
           finished_at = GREATEST(COALESCE(started_at, $3), $3),
           expected_items = $4, summary = $5, error = $6
         WHERE id = $1`,
        [event.runId, finalStatus, event.occurredAt, event.itemCount, event.summary ?? null, error],
      );
      // In the transaction that ends the run: the audit trail exists before the run is reported finished.
      await recordRunOutcomeAudit(this.audit, manager, run!, finalStatus, event.summary ?? {});
      await this.announce(manager, event.runId, RunStatusEventKind.Transition);
      return Outcome.done();
    });
  }

  private async lockRun(manager: EntityManager, runId: string, tenantId: string): Promise<RunStatus | undefined> {
    const rows: { status: RunStatus }[] = await manager.query(
      `SELECT status FROM run_service.runs WHERE id = $1 AND tenant_id = $2 FOR UPDATE`,
      [runId, tenantId],
    );
    return rows[0]?.status;
  }

  private async lockRunDetails(manager: EntityManager, runId: string, tenantId: string): Promise<AuditedRun | undefined> {
    const rows: AuditedRun[] = await manager.query(
      `SELECT id, tenant_id, type, status, target, scope, initiator_user_id, initiator_email
       FROM run_service.runs WHERE id = $1 AND tenant_id = $2 FOR UPDATE`,
      [runId, tenantId],
    );
    return rows[0];
  }

  /** A run that failed through its items gets the most frequent item error as its summary. */
  private async summarizeItemErrors(manager: EntityManager, runId: string, counts: Counts): Promise<SafeError | null> {
    const rows: { error: SafeError; occurrences: number }[] = await manager.query(
      `SELECT error, count(*)::int AS occurrences FROM run_service.run_items
       WHERE run_id = $1 AND status = 'failed' AND error IS NOT NULL
       GROUP BY error ORDER BY occurrences DESC, error ->> 'code' LIMIT 1`,
      [runId],
    );
    const most = rows[0];
    if (!most) return null;
    return sanitizeSafeError({
      code: most.error.code,
      message: `${counts.failed} of ${counts.total} items failed; most often: ${most.error.message}`,
    });
  }

  private async recount(manager: EntityManager, runId: string): Promise<Counts> {
    const [rows]: [Counts[], number] = await manager.query(RECOUNT_ITEMS, [runId]);
    return rows[0];
  }
}

export function terminalStatus(event: WorkerRunFinishedEvent, counts: Counts): RunStatus {
  switch (event.outcome) {
    case WorkerRunOutcome.Canceled:
      return RunStatus.Canceled;
    case WorkerRunOutcome.Failed:
      return RunStatus.Failed;
    case WorkerRunOutcome.Completed:
      if (counts.failed === 0) return RunStatus.Succeeded;
      return counts.succeeded + counts.skipped > 0 ? RunStatus.Partial : RunStatus.Failed;
  }
}

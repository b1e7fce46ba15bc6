import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import {
  RUN_TYPES_REGISTRY,
  RunStatus,
  RunStatusEventKind,
  SafeErrorCode,
  WorkerRunOutcome,
  isTerminalRunStatus,
  itemReportsOf,
  sanitizeSafeError,
  type SafeError,
  type WorkerItemFinishedEvent,
  type WorkerItemReport,
  type WorkerRunFinishedEvent,
  type WorkerRunStartedEvent,
} from '@policyvault/contracts';
import { JETSTREAM_NAMES, LOGGER, Outcome, type HandlerOutcome, type JetStreamNames } from '@policyvault/platform';
import { OutboxRelay, TransactionOutbox } from '../outbox/outbox-relay.service.js';
import { AuditService } from '../audit/audit.service.js';
import { recordRunOutcomeAudit } from '../audit/run-outcome.audit.js';
import { recordFleetOutcome, recountRunItems, type RunItemCounts } from '../database/run-service.sql.js';
import { FLEET_RUN_KINDS } from '../fleet/fleet-run-kinds.js';
import { enqueueRunStatusEvent } from '../outbox/run-status-event.builder.js';
import { RunItemEntity } from '../runs/run-item.entity.js';
import { RunEntity } from '../runs/run.entity.js';
import { RunRepository } from '../runs/run.repository.js';
import { ScheduleFollowUp } from '../schedules/schedule-follow-up.service.js';
import { RunServiceConfig } from '../run-service.config.js';
import { FinishWait } from './finish-wait.js';
import { GroupCommit, Slots } from './group-commit.js';

/** An item event and the worker that published it (its subject's last token). */
interface ItemEventOf {
  event: WorkerItemFinishedEvent;
  worker: string;
}

/**
 * Applies worker events to the run tables idempotently: status only moves forward, a terminal run
 * never changes, and a duplicate or late event is a no-op. Each event locks its run row first, so
 * events of one run apply one at a time even across replicas. Events may arrive in any order: a
 * run-finished waits for the item events it counts (FinishWait), and a run is never reported
 * succeeded for items run-service has not recorded (`items_missing`).
 */
@Injectable()
export class ApplyWorkerEventService {
  private readonly finishWait: FinishWait;
  private readonly itemBatches: GroupCommit<ItemEventOf, HandlerOutcome>;
  /** Worker-event transactions at once (WORKER_EVENT_TRANSACTIONS). */
  private readonly transactions: Slots;

  constructor(
    @InjectDataSource() private readonly database: DataSource,
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
    private readonly relay: OutboxRelay,
    private readonly audit: AuditService,
    private readonly runs: RunRepository,
    private readonly schedules: ScheduleFollowUp,
    @Inject(LOGGER) private readonly logger: Logger,
    config: RunServiceConfig,
  ) {
    this.finishWait = new FinishWait(config.WORKER_EVENT_ACK_WAIT_MS);
    this.transactions = new Slots(config.WORKER_EVENT_TRANSACTIONS);
    this.itemBatches = new GroupCommit((key, take) => this.applyItemBatch(take, key), config.WORKER_EVENT_BATCH_MAX, this.transactions);
  }

  /**
   * Runs `work` in a transaction; the status events it announced (`outbox`) are published right after the commit,
   * without a relay pass claiming them first (one round trip less, and no wait for a pass under way).
   */
  private async inTransaction<T>(work: (manager: EntityManager, outbox: TransactionOutbox) => Promise<T>): Promise<T> {
    const outbox = new TransactionOutbox();
    const outcome = await this.database.transaction((manager) => work(manager, outbox));
    this.relay.relayCommitted(outbox);
    return outcome;
  }

  /**
   * `inTransaction` within one of the WORKER_EVENT_TRANSACTIONS slots the item batches take too (they take theirs
   * in GroupCommit): hundreds of events held at once never queue hundreds of transactions for the pool ahead of
   * the outbox relay and the RPC answers.
   */
  private inSlot<T>(work: (manager: EntityManager, outbox: TransactionOutbox) => Promise<T>): Promise<T> {
    return this.transactions.run(() => this.inTransaction(work));
  }

  /** Announces the run as it is now (`run`: as the caller's last change answered it) in the current transaction. */
  private async announce(manager: EntityManager, outbox: TransactionOutbox, run: RunEntity, kind: RunStatusEventKind): Promise<void> {
    outbox.add(await enqueueRunStatusEvent(manager, run, this.names, kind));
  }

  /**
   * The event's run, locked; or why the event is refused: no such run in the event's tenant, or a run
   * of a type another worker owns (`worker` is the publishing worker, from the event's subject).
   */
  private async lockRunOf(manager: EntityManager, event: { runId: string; tenantId: string }, worker: string): Promise<RunEntity | { refused: HandlerOutcome }> {
    const run = await this.runs.lock(manager, event.tenantId, event.runId);
    const refused = this.refusal(run, event, worker);
    return refused ? { refused } : (run as RunEntity);
  }

  private refusal(run: RunEntity | null, event: { runId: string; tenantId: string }, worker: string): HandlerOutcome | null {
    if (!run) return Outcome.reject(`run ${event.runId} does not exist in tenant ${event.tenantId}`);
    const owner = RUN_TYPES_REGISTRY[run.type].worker;
    if (owner !== worker) return Outcome.reject(`${worker} reported on run ${run.id} of type ${run.type}, which ${owner} runs`);
    return null;
  }

  runStarted(event: WorkerRunStartedEvent, worker: string): Promise<HandlerOutcome> {
    return this.inSlot(async (manager, outbox) => {
      const run = await this.lockRunOf(manager, event, worker);
      if ('refused' in run) return run.refused;
      if (isTerminalRunStatus(run.status)) return Outcome.done();
      const planned = event.plannedItems ?? null;
      const running = await this.runs.update(manager, run, {
        status: RunStatus.Running,
        startedAt: earliestStart(run, event.occurredAt),
        plannedItems: planned ?? run.plannedItems,
        totalItems: Math.max(run.totalItems, planned ?? 0),
      });
      if (run.status === RunStatus.Queued) await this.announce(manager, outbox, running, RunStatusEventKind.Transition);
      return Outcome.done();
    });
  }

  /**
   * Item events of one run are applied in batches (GroupCommit): those that arrive while a batch of their run
   * is applied form the next one, applied in one transaction — the run locked once, the items upserted and the run
   * recounted in one statement, one progress event — and each event is acknowledged after that commit. An event
   * refused (a worker that does not own the run type) gets its own outcome; the others still apply. A batched
   * event (`items`) applies as its items sent one event each, in order.
   */
  itemFinished(event: WorkerItemFinishedEvent, worker: string): Promise<HandlerOutcome> {
    return this.itemBatches.submit(JSON.stringify([event.tenantId, event.runId]), { event, worker });
  }

  /** One batch of item events of one run (`key`); `take` gives the batch, called once the run is locked. */
  private applyItemBatch(take: () => ItemEventOf[], key: string): Promise<HandlerOutcome[]> {
    const [tenantId, runId] = JSON.parse(key) as [string, string];
    return this.inTransaction(async (manager, outbox) => {
      const run = await this.runs.lock(manager, tenantId, runId);
      const batch = take();
      const outcomes = batch.map(({ worker }) => this.refusal(run, { runId, tenantId }, worker) ?? Outcome.done());
      const accepted = batch.filter((_, index) => outcomes[index].kind === 'done').flatMap(({ event }) => itemReportsOf(event));
      if (!run || accepted.length === 0 || isTerminalRunStatus(run.status)) return outcomes;
      if (run.status === RunStatus.Queued) {
        const startedAt = accepted.reduce((earliest, item) => earliestStart({ startedAt: earliest }, item.occurredAt), run.startedAt);
        // The transition is announced with the counts from before these items, then their progress.
        await this.announce(manager, outbox, await this.runs.update(manager, run, { status: RunStatus.Running, startedAt }), RunStatusEventKind.Transition);
      }
      const { run: counted } = await this.runs.recordItems(manager, run, accepted.map((item) => runItemOf(run, item)));
      await this.announce(manager, outbox, counted, RunStatusEventKind.Progress);
      return outcomes;
    });
  }

  runFinished(event: WorkerRunFinishedEvent, worker: string, deliveryCount: number): Promise<HandlerOutcome> {
    return this.inSlot(async (manager, outbox) => {
      const run = await this.lockRunOf(manager, event, worker);
      if ('refused' in run) return run.refused;
      if (isTerminalRunStatus(run.status)) return Outcome.done();
      if (run.status === RunStatus.Queued) {
        // The worker ran it (it reports the end, maybe before its start or items, maybe failing before it started
        // them): the history is queued → running → the end, never a run that ended without having run.
        const startedAt = earliestStart(run, event.occurredAt);
        await this.announce(manager, outbox, await this.runs.update(manager, run, { status: RunStatus.Running, startedAt }), RunStatusEventKind.Transition);
        Object.assign(run, { status: RunStatus.Running, startedAt });
      }
      if (event.plannedItems !== undefined && event.plannedItems !== run.plannedItems) {
        await this.runs.update(manager, run, { plannedItems: event.plannedItems });
      }
      const counts = await recountRunItems(manager, run.id);
      const missing = Math.max(0, event.itemCount - counts.total);
      if (missing > 0) {
        const waitedMs = await this.runs.finishWaitedMs(manager, run);
        if (!this.finishWait.isOver(waitedMs, deliveryCount)) {
          // The run stays running while its items are on their way.
          return Outcome.retry(this.finishWait.retryDelayMs(deliveryCount), `waiting for ${missing} item events`);
        }
        this.logger.warn({ runId: run.id, missing, expected: event.itemCount, waitedMs, deliveryCount }, 'run ends without item events it counts');
      }
      const finalStatus = terminalStatus(event, counts, missing);
      const error =
        missing > 0 && event.outcome === WorkerRunOutcome.Completed
          ? itemsMissingError(missing, event.itemCount)
          : event.error
            ? sanitizeSafeError(event.error as SafeError)
            : finalStatus === RunStatus.Partial || finalStatus === RunStatus.Failed
              ? await this.summarizeItemErrors(manager, run, counts)
              : null;
      const finishedAt = new Date(event.occurredAt);
      const startedAt = run.startedAt ?? finishedAt;
      const ended = await this.runs.update(manager, run, {
        status: finalStatus,
        startedAt,
        finishedAt: startedAt > finishedAt ? startedAt : finishedAt,
        expectedItems: event.itemCount,
        summary: event.summary ?? null,
        error,
      });
      // The fleet overview's status of the tenant moves with the run's end (same transaction, newer wins).
      await recordFleetOutcome(manager, run, FLEET_RUN_KINDS);
      // In the transaction that ends the run: the audit trail exists before the run is reported finished.
      await recordRunOutcomeAudit(this.audit, manager, run, finalStatus, event.summary ?? {});
      await this.announce(manager, outbox, ended, RunStatusEventKind.Transition);
      // A schedule's next step (a drift check after its backup) starts with the end of its backup.
      // What it enqueues (a follow-up run's command, an alert) is claimed by a pass.
      if (await this.schedules.afterRunEnded(manager, run, finalStatus)) outbox.othersWritten = true;
      return Outcome.done();
    });
  }

  /** A run that failed through its items gets the most frequent item error as its summary. */
  private async summarizeItemErrors(manager: EntityManager, run: RunEntity, counts: RunItemCounts): Promise<SafeError | null> {
    const most = await manager
      .getRepository(RunItemEntity)
      .createQueryBuilder('item')
      .select('item.error', 'error')
      .addSelect('count(*)::int', 'occurrences')
      .where('item.runId = :runId AND item.status = :failed AND item.error IS NOT NULL', { runId: run.id, failed: 'failed' })
      .groupBy('item.error')
      .orderBy('occurrences', 'DESC')
      .addOrderBy(`item.error ->> 'code'`)
      .limit(1)
      .getRawOne<{ error: SafeError; occurrences: number }>();
    if (!most) return null;
    return sanitizeSafeError({
      code: most.error.code,
      message: `${counts.failed} of ${counts.total} items failed; most often: ${most.error.message}`,
    });
  }
}

/** The row an item report writes. */
function runItemOf(run: RunEntity, item: WorkerItemReport): RunItemEntity {
  return {
    runId: run.id,
    itemKey: item.itemKey,
    status: item.status,
    label: item.label ?? null,
    outcome: item.outcome ?? null,
    error: item.error ? sanitizeSafeError(item.error) : null,
    result: item.result ?? null,
    finishedAt: new Date(item.occurredAt),
  };
}

/** A run started at the earliest start any of its events reports (they may arrive out of order). */
function earliestStart(run: Pick<RunEntity, 'startedAt'>, occurredAt: string): Date {
  const reported = new Date(occurredAt);
  return run.startedAt && run.startedAt < reported ? run.startedAt : reported;
}

/** A completed run missing item events is never `succeeded`: partial with what it has, else failed. */
function terminalStatus(event: WorkerRunFinishedEvent, counts: RunItemCounts, missing: number): RunStatus {
  switch (event.outcome) {
    case WorkerRunOutcome.Canceled:
      return RunStatus.Canceled;
    case WorkerRunOutcome.Failed:
      return RunStatus.Failed;
    case WorkerRunOutcome.Completed:
      if (counts.failed === 0 && missing === 0) return RunStatus.Succeeded;
      return counts.succeeded + counts.skipped > 0 ? RunStatus.Partial : RunStatus.Failed;
  }
}

function itemsMissingError(missing: number, expected: number): SafeError {
  return {
    code: SafeErrorCode.ItemsMissing,
    message: `${missing} of the ${expected} item results the worker reported never reached run-service; the run is not reported as succeeded.`,
  };
}

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
import { recordFleetOutcome, recountRunItems, upsertRunItems, type RunItemCounts } from '../database/run-service.sql.js';
import { FLEET_RUN_KINDS } from '../fleet/fleet-run-kinds.js';
import { enqueueRunStatusEvents, type RunAnnouncement } from '../outbox/run-status-event.builder.js';
import { RunItemEntity } from '../runs/run-item.entity.js';
import { RunEntity } from '../runs/run.entity.js';
import { RunRepository } from '../runs/run.repository.js';
import { ScheduleFollowUp } from '../schedules/schedule-follow-up.service.js';
import { RunServiceConfig } from '../run-service.config.js';
import { FinishWait } from './finish-wait.js';
import { earliestStart, effectOf, type WorkerEventOf } from './run-effect.js';
import { GroupCommit, Slots, type Keyed } from './group-commit.js';

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
  /** Worker events, applied in batches of several runs. */
  private readonly batches: GroupCommit<WorkerEventOf, HandlerOutcome>;
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
    this.batches = new GroupCommit((take) => this.applyBatch(take), config.WORKER_EVENT_BATCH_MAX, this.transactions);
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

  private refusal(run: RunEntity | null, event: { runId: string; tenantId: string }, worker: string): HandlerOutcome | null {
    if (!run) return Outcome.reject(`run ${event.runId} does not exist in tenant ${event.tenantId}`);
    const owner = RUN_TYPES_REGISTRY[run.type].worker;
    if (owner !== worker) return Outcome.reject(`${worker} reported on run ${run.id} of type ${run.type}, which ${owner} runs`);
    return null;
  }

  /**
   * Worker events are applied in batches (GroupCommit), several runs to a batch: those that arrive while batches are
   * applied form the next one, applied in one transaction — its runs locked in one statement, those that start moved
   * to running in one, their items upserted in one, counted in one, their ends applied run by run, and their events
   * (a started run's transition, each run's progress, the ends) written in one — and each event is acknowledged
   * after that commit. A run is in one batch at a time, so its events apply in the order they arrived, and a
   * run-finished event finds the items the worker reported before it. An event refused (no such run in its tenant, a
   * worker that does not own the run type) gets its own outcome; the others still apply. A batched item event
   * (`items`) applies as its items sent one event each, in order.
   */
  runStarted(event: WorkerRunStartedEvent, worker: string): Promise<HandlerOutcome> {
    return this.batches.submit(`${event.tenantId}/${event.runId}`, { kind: 'started', event, worker });
  }

  itemFinished(event: WorkerItemFinishedEvent, worker: string): Promise<HandlerOutcome> {
    return this.batches.submit(`${event.tenantId}/${event.runId}`, { kind: 'item', event, worker });
  }

  /** The delivery count bounds how long the run's end waits for item events still missing (FinishWait). */
  runFinished(event: WorkerRunFinishedEvent, worker: string, deliveryCount: number): Promise<HandlerOutcome> {
    return this.batches.submit(`${event.tenantId}/${event.runId}`, { kind: 'finished', event, worker, deliveryCount });
  }

  /** One batch of worker events; `take` gives it, called once the transaction has its connection. */
  private applyBatch(take: () => Keyed<WorkerEventOf>[]): Promise<HandlerOutcome[]> {
    return this.inTransaction(async (manager, outbox) => {
      const batch = take().map(({ entry }) => entry);
      const locked = await this.runs.lockMany(manager, uniqueRunsOf(batch.map(({ event }) => event)));
      const runOf = new Map(locked.map((run) => [`${run.tenantId}/${run.id}`, run]));
      const eventsOf = new Map<RunEntity, { entry: WorkerEventOf; index: number }[]>();
      const outcomes = batch.map((entry, index) => {
        const run = runOf.get(`${entry.event.tenantId}/${entry.event.runId}`) ?? null;
        const refused = this.refusal(run, entry.event, entry.worker);
        if (refused) return refused;
        // A terminal run never changes: its late events are done.
        if (!isTerminalRunStatus(run!.status)) eventsOf.set(run!, [...(eventsOf.get(run!) ?? []), { entry, index }]);
        return Outcome.done();
      });
      const effects = [...eventsOf].map(([run, events]) => ({ run, ...effectOf(run, events.map(({ entry }) => entry)) }));
      const running = await this.runs.markRunning(manager, effects.flatMap(({ running }) => running ?? []));
      // A run that was queued announces its start with the counts from before these items, then their progress.
      const wasQueued = new Set(effects.filter(({ run }) => run.status === RunStatus.Queued).map(({ run }) => run.id));
      const announcements: RunAnnouncement[] = running.filter((run) => wasQueued.has(run.id)).map((run) => ({ run, kind: RunStatusEventKind.Transition }));
      const counted = effects.filter(({ items }) => items.length > 0);
      await upsertRunItems(manager, counted.flatMap(({ run, items }) => items.map((item) => runItemOf(run, item))));
      const recounted = await this.runs.recount(manager, counted.map(({ run }) => run.id));
      announcements.push(...recounted.map(({ run }) => ({ run, kind: RunStatusEventKind.Progress })));
      // The ends, each run as these statements left it.
      const current = new Map([...locked, ...running, ...recounted.map(({ run }) => run)].map((run) => [run.id, run]));
      for (const [run, events] of eventsOf) {
        for (const { entry, index } of events) {
          if (entry.kind !== 'finished') continue;
          const { outcome, ended } = await this.endRun(manager, outbox, current.get(run.id)!, entry.event, entry.deliveryCount, announcements);
          outcomes[index] = outcome;
          if (ended) current.set(run.id, ended);
        }
      }
      for (const row of await enqueueRunStatusEvents(manager, announcements, this.names)) outbox.add(row);
      return outcomes;
    });
  }

  /**
   * Applies a run-finished event to its run (locked, as it is now in the transaction); what it announces is added to
   * `announcements`. A run that has ended already is left as it is; one missing items the event counts stays
   * running while they are on their way (a retry outcome: nak with a delay).
   */
  private async endRun(
    manager: EntityManager,
    outbox: TransactionOutbox,
    run: RunEntity,
    event: WorkerRunFinishedEvent,
    deliveryCount: number,
    announcements: RunAnnouncement[],
  ): Promise<{ outcome: HandlerOutcome; ended?: RunEntity }> {
    if (isTerminalRunStatus(run.status)) return { outcome: Outcome.done() };
    if (run.status === RunStatus.Queued) {
      // The worker ran it (it reports the end, maybe before its start or items, maybe failing before it started
      // them): the history is queued → running → the end, never a run that ended without having run.
      const startedAt = earliestStart(run, event.occurredAt);
      announcements.push({ run: await this.runs.update(manager, run, { status: RunStatus.Running, startedAt }), kind: RunStatusEventKind.Transition });
      run = Object.assign(Object.create(RunEntity.prototype) as RunEntity, run, { status: RunStatus.Running, startedAt });
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
        return { outcome: Outcome.retry(this.finishWait.retryDelayMs(deliveryCount), `waiting for ${missing} item events`) };
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
    announcements.push({ run: ended, kind: RunStatusEventKind.Transition });
    // A schedule's next step (a drift check after its backup) starts with the end of its backup.
    // What it enqueues (a follow-up run's command, an alert) is claimed by a pass.
    if (await this.schedules.afterRunEnded(manager, run, finalStatus)) outbox.othersWritten = true;
    return { outcome: Outcome.done(), ended };
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

/** The runs of `events`, each once. */
function uniqueRunsOf(events: { tenantId: string; runId: string }[]): { tenantId: string; runId: string }[] {
  const runs = new Map(events.map(({ tenantId, runId }) => [`${tenantId}/${runId}`, { tenantId, runId }]));
  return [...runs.values()];
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

import { createHash } from 'node:crypto';
import {
  MAX_ITEMS_PER_EVENT,
  WorkerEventSubjects,
  WorkerRunOutcome,
  workerEventSubject,
  type JetStreamNames,
  type RunItemStatus,
  type RunWorker,
  type SafeError,
  type WorkerEventSubject,
} from '@policyvault/contracts';
import type { JetStreamClient } from '@nats-io/jetstream';
import { publishTraced } from '../tracing/jetstream-tracing.js';

export interface ItemReport {
  itemKey: string;
  status: RunItemStatus;
  label?: string;
  outcome?: string;
  error?: SafeError;
  result?: Record<string, unknown>;
}

/**
 * Publishes a run's worker events to JetStream and waits for the stream's acknowledgement, so an
 * event is durable before the worker acknowledges its command. Message ids make a republish after
 * a redelivery a no-op inside the stream's duplicate window (run-service is idempotent beyond it).
 * Events go out under the worker's name (`workerEventSubject`), the only subjects its NATS user may publish on.
 *
 * Item events of the run go out one at a time: the items reported while one is being published (and those
 * reported in the same tick) go out together in the next, as one batched `item-finished` event (`items`, at most
 * MAX_ITEMS_PER_EVENT), which run-service applies as if each had its own event. Each `itemFinished` settles
 * when the event carrying its item is acknowledged (or failed to publish).
 */
export class RunEventPublisher {
  /** The planned item count last published: run-finished repeats it (events may be applied in any order). */
  private plannedItems?: number;

  constructor(
    private readonly js: JetStreamClient,
    private readonly names: JetStreamNames,
    private readonly worker: RunWorker,
    readonly runId: string,
    readonly tenantId: string,
  ) {}

  async runStarted(plannedItems?: number): Promise<void> {
    if (plannedItems !== undefined) this.plannedItems = plannedItems;
    await this.publish(WorkerEventSubjects.runStarted, `run:${this.runId}:started`, {
      runId: this.runId,
      tenantId: this.tenantId,
      ...(plannedItems === undefined ? {} : { plannedItems }),
      occurredAt: new Date().toISOString(),
    });
  }

  /** Item reports waiting for the next item event, and whether one is being published (or about to be). */
  private readonly pendingItems: PendingItem[] = [];
  private publishingItems = false;

  itemFinished(item: ItemReport): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pendingItems.push({ report: { ...item, occurredAt: new Date().toISOString() }, resolve, reject });
      if (this.publishingItems) return;
      this.publishingItems = true;
      // After the current tick: items reported together (Promise.all over a chunk) share the event.
      queueMicrotask(() => void this.publishPendingItems());
    });
  }

  private async publishPendingItems(): Promise<void> {
    try {
      while (this.pendingItems.length > 0) {
        const batch = this.pendingItems.splice(0, MAX_ITEMS_PER_EVENT);
        try {
          await this.publishItems(batch.map(({ report }) => report));
          for (const { resolve } of batch) resolve();
        } catch (error) {
          for (const { reject } of batch) reject(error);
        }
      }
    } finally {
      this.publishingItems = false;
    }
  }

  /**
   * One item as the single form (message id per item and status, as ever); several as a batch, whose message id
   * names its items and statuses (a republish of the same batch is a no-op in the stream; run-service is idempotent).
   */
  private publishItems(reports: TimedItemReport[]): Promise<void> {
    const base = { runId: this.runId, tenantId: this.tenantId };
    if (reports.length === 1) {
      const [report] = reports;
      return this.publish(WorkerEventSubjects.itemFinished, `run:${this.runId}:item:${report.itemKey}:${report.status}`, { ...base, ...report });
    }
    const names = createHash('sha256');
    for (const { itemKey, status } of reports) names.update(`${itemKey}\n${status}\n`);
    return this.publish(WorkerEventSubjects.itemFinished, `run:${this.runId}:items:${names.digest('base64url')}`, {
      ...base,
      items: reports,
      occurredAt: reports[reports.length - 1].occurredAt,
    });
  }

  async runFinished(
    outcome: WorkerRunOutcome,
    itemCount: number,
    extra: { error?: SafeError; summary?: Record<string, unknown> } = {},
  ): Promise<void> {
    await this.publish(WorkerEventSubjects.runFinished, `run:${this.runId}:finished`, {
      runId: this.runId,
      tenantId: this.tenantId,
      outcome,
      itemCount,
      ...(this.plannedItems === undefined ? {} : { plannedItems: this.plannedItems }),
      ...extra,
      occurredAt: new Date().toISOString(),
    });
  }

  private async publish(event: WorkerEventSubject, messageId: string, payload: object): Promise<void> {
    const subject = this.names.subject(workerEventSubject(event, this.worker));
    await publishTraced(this.js, subject, JSON.stringify(payload), { msgID: messageId, timeout: 10_000 }, { name: 'worker-event publish', run: payload });
  }
}

/** An item report with the time it was reported (each item of a batch keeps its own). */
type TimedItemReport = ItemReport & { occurredAt: string };

interface PendingItem {
  report: TimedItemReport;
  resolve: () => void;
  reject: (error: unknown) => void;
}

import {
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

  async itemFinished(item: ItemReport): Promise<void> {
    await this.publish(WorkerEventSubjects.itemFinished, `run:${this.runId}:item:${item.itemKey}:${item.status}`, {
      runId: this.runId,
      tenantId: this.tenantId,
      ...item,
      occurredAt: new Date().toISOString(),
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

import { RunItemStatus, WorkerRunOutcome, sanitizeSafeError, type SafeError } from '@policyvault/contracts';
import type { ItemReport, RunEventPublisher } from '@policyvault/platform';

const MAX_LABEL = 300;

/** The run item of one backup item: keyed by its id, so a redelivery reports the same item. */
export const backupItemKey = (backupItemId: string) => `backup-item:${backupItemId}`;

/**
 * A run's reporting: `run-started` with the planned item count, one `item-finished` per item as soon
 * as it is done, `run-finished` with the number of distinct items reported. Every publish waits for
 * JetStream's ack, so the events are durable before the command is acknowledged.
 */
export class RunProgress {
  private readonly items = new Map<string, { status: RunItemStatus; outcome?: string }>();

  constructor(
    private readonly events: RunEventPublisher,
    private readonly workerId: string,
  ) {}

  started(plannedItems: number): Promise<void> {
    return this.events.runStarted(plannedItems);
  }

  async item(report: ItemReport): Promise<void> {
    await this.events.itemFinished({
      ...report,
      ...(report.label !== undefined ? { label: report.label.slice(0, MAX_LABEL) } : {}),
      ...(report.error ? { error: sanitizeSafeError(report.error) } : {}),
    });
    this.items.set(report.itemKey, { status: report.status, outcome: report.outcome });
  }

  count(status: RunItemStatus): number {
    return [...this.items.values()].filter((item) => item.status === status).length;
  }

  countOutcome(outcome: string): number {
    return [...this.items.values()].filter((item) => item.outcome === outcome).length;
  }

  get itemCount(): number {
    return this.items.size;
  }

  /** The run's end: run-service derives succeeded / partial / failed from the items it applied. */
  finish(summary: Record<string, unknown> = {}): Promise<void> {
    return this.events.runFinished(WorkerRunOutcome.Completed, this.items.size, { summary: this.summary(summary) });
  }

  /** Stopped between items because someone asked to cancel: the items so far stand. */
  canceled(summary: Record<string, unknown> = {}): Promise<void> {
    return this.events.runFinished(WorkerRunOutcome.Canceled, this.items.size, { summary: this.summary(summary) });
  }

  /** The run cannot do its work at all (its backup set is not there, a preview tried to write…). */
  fail(error: SafeError, summary: Record<string, unknown> = {}): Promise<void> {
    return this.events.runFinished(WorkerRunOutcome.Failed, this.items.size, {
      error: sanitizeSafeError(error),
      summary: { workerId: this.workerId, ...summary },
    });
  }

  private summary(extra: Record<string, unknown>): Record<string, unknown> {
    return {
      workerId: this.workerId,
      succeeded: this.count(RunItemStatus.Succeeded),
      failed: this.count(RunItemStatus.Failed),
      skipped: this.count(RunItemStatus.Skipped),
      ...extra,
    };
  }
}

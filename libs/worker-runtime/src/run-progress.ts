import { RunItemStatus, WorkerRunOutcome, sanitizeSafeError, type SafeError } from '@policyvault/contracts';
import type { ItemReport, RunEventPublisher } from '@policyvault/platform';

const MAX_LABEL = 300;

/**
 * A run's reporting: `run-started` with the planned item count, one `item-finished` per item as soon
 * as it is done (progress while running), `run-finished` with the number of distinct items reported.
 * Every publish waits for JetStream's ack, so the events are durable before the command is acked.
 */
export class RunProgress {
  private readonly items = new Map<string, { status: RunItemStatus; outcome?: string }>();
  private canceledRun = false;

  constructor(
    private readonly events: RunEventPublisher,
    private readonly workerId: string,
  ) {}

  started(plannedItems: number): Promise<void> {
    return this.events.runStarted(plannedItems);
  }

  async item(report: ItemReport): Promise<void> {
    const safe: ItemReport = {
      ...report,
      ...(report.label !== undefined ? { label: report.label.slice(0, MAX_LABEL) } : {}),
      ...(report.error ? { error: sanitizeSafeError(report.error) } : {}),
    };
    await this.events.itemFinished(safe);
    this.items.set(report.itemKey, { status: report.status, outcome: report.outcome });
  }

  succeeded(itemKey: string, label: string, outcome: string, result?: Record<string, unknown>): Promise<void> {
    return this.item({ itemKey, status: RunItemStatus.Succeeded, label, outcome, result });
  }

  failed(itemKey: string, label: string | undefined, error: SafeError, outcome = 'failed'): Promise<void> {
    return this.item({ itemKey, status: RunItemStatus.Failed, label, outcome, error });
  }

  skipped(itemKey: string, label: string | undefined, outcome: string, error?: SafeError): Promise<void> {
    return this.item({ itemKey, status: RunItemStatus.Skipped, label, outcome, error });
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
    return this.events.runFinished(WorkerRunOutcome.Completed, this.items.size, { summary: { ...this.countsSummary(), ...summary } });
  }

  private countsSummary(): Record<string, unknown> {
    return {
      workerId: this.workerId,
      succeeded: this.count(RunItemStatus.Succeeded),
      failed: this.count(RunItemStatus.Failed),
      skipped: this.count(RunItemStatus.Skipped),
    };
  }

  /**
   * The run stopped between items because a cancel was asked for: run-service ends it `canceled` with
   * the counts of the items reported so far. Called by the job runner when RunCanceled reaches it.
   */
  canceled(summary: Record<string, unknown> = {}): Promise<void> {
    this.canceledRun = true;
    return this.events.runFinished(WorkerRunOutcome.Canceled, this.items.size, { summary: { ...this.countsSummary(), canceled: true, ...summary } });
  }

  get wasCanceled(): boolean {
    return this.canceledRun;
  }

  /** The run cannot do its work at all (its target does not exist in the tenant, a preview tried to write…). */
  fail(error: SafeError, summary: Record<string, unknown> = {}): Promise<void> {
    return this.events.runFinished(WorkerRunOutcome.Failed, this.items.size, {
      error: sanitizeSafeError(error),
      summary: { workerId: this.workerId, ...summary },
    });
  }
}

/** How `TurnBatches` cuts its queue: entries per batch, and batches written at once. */
export interface TurnBatchLimits {
  maxBatch: number;
  maxInFlight: number;
}

/**
 * Group commit by event-loop turn: what is added during one turn is handed to `write` on the next one
 * (`setImmediate`, after the current I/O callbacks), so the entries read from one socket read share a batch, cut
 * into batches of at most `maxBatch`, at most `maxInFlight` of them written at once. What arrives while they are
 * written waits for a free slot and joins the next batch. Written at once instead, the first entry of a burst would
 * take a slot alone while the rest waited for it.
 *
 * `write` settles its entries itself (each carries its caller's resolve/reject) and must not reject.
 */
export class TurnBatches<T> {
  private queue: T[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly write: (batch: T[]) => Promise<void>,
    private readonly limits: TurnBatchLimits,
  ) {}

  add(entry: T): void {
    this.queue.push(entry);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.startBatches();
    });
  }

  private startBatches(): void {
    while (this.queue.length > 0 && this.inFlight < this.limits.maxInFlight) {
      const batch = this.queue.splice(0, this.limits.maxBatch);
      this.inFlight += 1;
      void this.write(batch).finally(() => {
        this.inFlight -= 1;
        this.startBatches();
      });
    }
  }
}

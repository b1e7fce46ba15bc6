/** How a `CaptureQueue` cuts chunks: policies per chunk, and chunks read at once. */
export interface CaptureQueueLimits {
  chunkSize: number;
  slots: number;
}

/**
 * A run's policies waiting to be read, cut into chunks as read slots free up. A chunk takes up to `chunkSize` policies
 * in the order they came, of any types: their sub-requests share `$batch` calls and their versions one statement. A
 * free slot waits for a full chunk while another chunk is being read, and takes what there is when none is, or once
 * no more will come (`finish`). So a run's first listing is read at once, and the listings that arrive meanwhile fill
 * the next chunks: a tenant with a few policies of each of many types is read in a few chunks, not one per type.
 *
 * A chunk that fails stops the queue: no chunk starts after it, `add` throws its error (the caller stops selecting),
 * and `finish` rejects with it once the chunks in flight are done (a canceled run's items in flight finish).
 */
export class CaptureQueue<T> {
  private waiting: T[] = [];
  private inFlight = 0;
  private closed = false;
  private failure: { error: unknown } | undefined;
  private idle: Array<() => void> = [];
  private chunks = 0;

  constructor(
    /** Reads a chunk; `sequence` numbers the queue's chunks in the order they start, from 0. */
    private readonly readChunk: (chunk: T[], sequence: number) => Promise<void>,
    private readonly limits: CaptureQueueLimits,
  ) {}

  /** Queues targets; throws what failed an earlier chunk, so that the caller stops selecting. */
  add(targets: T[]): void {
    if (this.failure) throw this.failure.error;
    this.waiting.push(...targets);
    this.pump();
  }

  /** No more targets: reads what is left; resolves once every chunk is done, or rejects with the first failure. */
  async finish(): Promise<void> {
    this.closed = true;
    this.pump();
    await this.settled();
    if (this.failure) throw this.failure.error;
  }

  /** The run failed elsewhere: starts no more chunks and resolves once those in flight are done. */
  async stop(): Promise<void> {
    this.closed = true;
    this.waiting = [];
    await this.settled();
  }

  private pump(): void {
    const { chunkSize, slots } = this.limits;
    while (!this.failure && this.inFlight < slots && this.waiting.length > 0 && (this.waiting.length >= chunkSize || this.closed || this.inFlight === 0)) {
      const chunk = this.waiting.splice(0, chunkSize);
      this.inFlight += 1;
      this.readChunk(chunk, this.chunks++)
        .catch((error: unknown) => {
          this.failure ??= { error };
          this.waiting = [];
        })
        .finally(() => {
          this.inFlight -= 1;
          this.pump();
        });
    }
    if (this.inFlight === 0 && (this.closed || this.failure) && (this.waiting.length === 0 || this.failure)) {
      for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  private settled(): Promise<void> {
    return new Promise((resolve) => {
      this.idle.push(resolve);
      this.pump();
    });
  }
}

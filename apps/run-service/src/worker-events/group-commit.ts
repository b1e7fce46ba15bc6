/**
 * Applies entries of one key in batches ("group commit"): an entry submitted while a batch of its key is being
 * applied waits and joins the next batch with everything else that arrived meanwhile; entries of different keys
 * never wait for each other. `apply` gets `take()` — call it once, as late as possible (after the lock that orders
 * the key's batches), for the entries of this batch — and answers one result per taken entry, in order; each
 * submitter's promise settles only after `apply` settled (for worker events: after the transaction committed).
 *
 * Batches are applied within `slots` (of any keys; shared with other work that takes them): the others wait, growing,
 * for a slot (for worker events: a bound on the transactions waiting for the pool, which the outbox relay and the RPC
 * answers share).
 *
 * A batch whose `apply` throws is applied again one entry at a time, so one entry that cannot be applied fails
 * alone (its promise rejects) and the others get their own results. When `apply` throws before taking (no
 * connection), the waiting entries are all rejected with its error (each is redelivered), never spun on.
 */
export class GroupCommit<E, R> {
  private readonly waiting = new Map<string, Waiting<E, R>[]>();
  private readonly draining = new Set<string>();

  constructor(
    private readonly applyBatch: (key: string, take: () => E[]) => Promise<R[]>,
    private readonly maxBatch: number,
    private readonly slots: Slots = new Slots(Infinity),
  ) {}

  submit(key: string, entry: E): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.waiting.get(key);
      if (queue) queue.push({ entry, resolve, reject });
      else this.waiting.set(key, [{ entry, resolve, reject }]);
      if (!this.draining.has(key)) void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    this.draining.add(key);
    try {
      while (this.waiting.has(key)) {
        let taken: Waiting<E, R>[] | undefined;
        const take = () => {
          if (taken) throw new Error('take() called twice for one batch');
          taken = this.takeWaiting(key);
          return taken.map(({ entry }) => entry);
        };
        try {
          const results = await this.apply(key, take);
          settle(taken, results);
        } catch (error) {
          if (!taken) for (const waiting of this.takeWaiting(key)) waiting.reject(error);
          else if (taken.length === 1) taken[0].reject(error);
          else {
            for (const waiting of taken) {
              await this.apply(key, () => [waiting.entry])
                .then((results) => settle([waiting], results))
                .catch(waiting.reject);
            }
          }
        }
      }
    } finally {
      this.draining.delete(key);
    }
  }

  /** `applyBatch` within one of the slots. */
  private apply(key: string, take: () => E[]): Promise<R[]> {
    return this.slots.run(() => this.applyBatch(key, take));
  }

  private takeWaiting(key: string): Waiting<E, R>[] {
    const queue = this.waiting.get(key) ?? [];
    const batch = queue.splice(0, this.maxBatch);
    if (queue.length === 0) this.waiting.delete(key);
    return batch;
  }
}

/** At most `size` pieces of work at once; the others wait, in order. */
export class Slots {
  private inUse = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly size: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.inUse >= this.size) await new Promise<void>((resolve) => this.waiters.push(resolve));
    else this.inUse += 1;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter, if any.
      const next = this.waiters.shift();
      if (next) next();
      else this.inUse -= 1;
    }
  }
}

interface Waiting<E, R> {
  entry: E;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

function settle<E, R>(taken: Waiting<E, R>[] | undefined, results: R[]): void {
  if (!taken) throw new Error('the batch was applied without taking its entries');
  if (results.length !== taken.length) throw new Error(`${results.length} results for ${taken.length} entries`);
  taken.forEach((waiting, index) => waiting.resolve(results[index]));
}

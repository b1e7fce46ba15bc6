/**
 * Applies entries of one key in batches ("group commit"): an entry submitted while a batch of its key is being
 * applied waits and joins the next batch with everything else that arrived meanwhile; entries of different keys
 * never wait for each other. `apply` gets `take()` — call it once, as late as possible (after the lock that orders
 * the key's batches), for the entries of this batch — and answers one result per taken entry, in order; each
 * submitter's promise settles only after `apply` settled (for worker events: after the transaction committed).
 *
 * At most `maxApplying` batches (of any keys) are applied at once: the others wait, growing, for a slot (for worker
 * events: a bound on the transactions waiting for the pool, which the outbox relay and the RPC answers share).
 *
 * A batch whose `apply` throws is applied again one entry at a time, so one entry that cannot be applied fails
 * alone (its promise rejects) and the others get their own results. When `apply` throws before taking (no
 * connection), the waiting entries are all rejected with its error (each is redelivered), never spun on.
 */
export class GroupCommit<E, R> {
  private readonly waiting = new Map<string, Waiting<E, R>[]>();
  private readonly draining = new Set<string>();
  private applying = 0;
  private readonly slotWaiters: Array<() => void> = [];

  constructor(
    private readonly applyBatch: (key: string, take: () => E[]) => Promise<R[]>,
    private readonly maxBatch: number,
    private readonly maxApplying: number = Infinity,
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

  /** `applyBatch` within a slot of `maxApplying`. */
  private async apply(key: string, take: () => E[]): Promise<R[]> {
    if (this.applying >= this.maxApplying) await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
    else this.applying += 1;
    try {
      return await this.applyBatch(key, take);
    } finally {
      // The slot passes straight to the next waiter, if any.
      const next = this.slotWaiters.shift();
      if (next) next();
      else this.applying -= 1;
    }
  }

  private takeWaiting(key: string): Waiting<E, R>[] {
    const queue = this.waiting.get(key) ?? [];
    const batch = queue.splice(0, this.maxBatch);
    if (queue.length === 0) this.waiting.delete(key);
    return batch;
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

/** An entry of a batch and the key it was submitted under (for worker events: its run). */
export interface Keyed<E> {
  key: string;
  entry: E;
}

/**
 * Applies entries in batches ("group commit"), several keys to a batch: what arrives while batches are applied
 * waits and joins the next batch. A key is in at most one batch at a time: its entries that arrive while a batch
 * holding it is applied wait for that batch to settle (they would wait for its lock anyway), so a key's batches
 * apply one after the other, in the order its entries arrived. `apply` gets `take()` — call it once, as late as
 * possible (once the transaction has its connection), for the entries of this batch (at most `maxBatch`, keys in
 * the order they first arrived) — and answers one result per taken entry, in order; each submitter's promise
 * settles only after `apply` settled (for worker events: after the transaction committed).
 *
 * Batches are applied within `slots` (shared with other work that takes them). One batch at a time waits for a
 * slot, gathering what arrives meanwhile; once it has taken its entries, the next one asks for a slot if entries
 * are left, so a backlog is applied by as many batches at once as there are slots, and a trickle by one.
 *
 * A batch whose `apply` throws is applied again one entry at a time, so one entry that cannot be applied fails
 * alone (its promise rejects) and the others get their own results. When `apply` throws before taking (no
 * connection), the entries it would have taken are all rejected with its error (each is redelivered), never spun on.
 */
export class GroupCommit<E, R> {
  /** Entries not yet taken, by key, keys in the order their entries arrived (a key taken and back goes last). */
  private readonly waiting = new Map<string, Waiting<E, R>[]>();
  /** Keys of the batches being applied. */
  private readonly applying = new Set<string>();
  /** A batch asked for a slot and has not taken its entries yet. */
  private asking = false;

  constructor(
    private readonly applyBatch: (take: () => Keyed<E>[]) => Promise<R[]>,
    private readonly maxBatch: number,
    private readonly slots: Slots = new Slots(Infinity),
  ) {}

  submit(key: string, entry: E): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.waiting.get(key);
      if (queue) queue.push({ key, entry, resolve, reject });
      else this.waiting.set(key, [{ key, entry, resolve, reject }]);
      this.askForSlot();
    });
  }

  /** A batch asks for a slot when entries could be taken and no other batch is asking. */
  private askForSlot(): void {
    if (this.asking || !this.anyTakeable()) return;
    this.asking = true;
    void this.slots.run(() => this.applyNext());
  }

  private async applyNext(): Promise<void> {
    let taken: Waiting<E, R>[] | undefined;
    const take = () => {
      if (taken) throw new Error('take() called twice for one batch');
      taken = this.takeWaiting();
      this.asking = false;
      this.askForSlot();
      return taken.map(({ key, entry }) => ({ key, entry }));
    };
    try {
      const results = await this.applyBatch(take);
      settle(taken, results);
    } catch (error) {
      if (!taken) {
        taken = this.takeWaiting();
        this.asking = false;
        for (const waiting of taken) waiting.reject(error);
      } else if (taken.length === 1) taken[0].reject(error);
      else {
        for (const waiting of taken) {
          await this.applyBatch(() => [{ key: waiting.key, entry: waiting.entry }])
            .then((results) => settle([waiting], results))
            .catch(waiting.reject);
        }
      }
    } finally {
      for (const { key } of taken ?? []) this.applying.delete(key);
      this.askForSlot();
    }
  }

  private anyTakeable(): boolean {
    for (const key of this.waiting.keys()) if (!this.applying.has(key)) return true;
    return false;
  }

  /** Up to `maxBatch` entries of keys no batch is applying, keys in arrival order; their keys are then applying. */
  private takeWaiting(): Waiting<E, R>[] {
    const batch: Waiting<E, R>[] = [];
    for (const [key, queue] of this.waiting) {
      if (batch.length >= this.maxBatch) break;
      if (this.applying.has(key)) continue;
      batch.push(...queue.splice(0, this.maxBatch - batch.length));
      if (queue.length === 0) this.waiting.delete(key);
      this.applying.add(key);
    }
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

interface Waiting<E, R> extends Keyed<E> {
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

function settle<E, R>(taken: Waiting<E, R>[] | undefined, results: R[]): void {
  if (!taken) throw new Error('the batch was applied without taking its entries');
  if (results.length !== taken.length) throw new Error(`${results.length} results for ${taken.length} entries`);
  taken.forEach((waiting, index) => waiting.resolve(results[index]));
}

import { jest } from '@jest/globals';
import { GroupCommit, Slots, type Keyed } from './group-commit.js';

/** An `apply` the test completes batch by batch (as a transaction commits), recording the entries it took. */
function controlledApply() {
  const batches: string[][] = [];
  const commits: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  const apply = jest.fn((take: () => Keyed<string>[]) => {
    const batch = take().map(({ entry }) => entry);
    batches.push(batch);
    return new Promise<string[]>((resolve, reject) => {
      commits.push({ resolve: () => resolve(batch.map((entry) => `applied ${entry}`)), reject });
    });
  });
  return { apply, batches, commits };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Holds the only slot of `slots` until the returned function is called. */
function holdSlot(slots: Slots): () => void {
  let release!: () => void;
  void slots.run(() => new Promise<void>((resolve) => (release = resolve)));
  return () => release();
}

describe('GroupCommit (worker events applied in batches)', () => {
  it('applies what arrived during a batch as the next batch, and settles each entry only after its batch committed', async () => {
    const { apply, batches, commits } = controlledApply();
    const commit = new GroupCommit(apply, 100);
    const settled: string[] = [];
    const submit = (entry: string) => commit.submit('run-1', entry).then((result) => void settled.push(result));
    const all = [submit('a')];
    await tick();
    all.push(submit('b'), submit('c'), submit('d'));
    await tick();
    expect(batches).toEqual([['a']]);
    expect(settled).toEqual([]);
    commits[0].resolve();
    await tick();
    expect(settled).toEqual(['applied a']);
    expect(batches).toEqual([['a'], ['b', 'c', 'd']]);
    commits[1].resolve();
    await Promise.all(all);
    expect(settled).toEqual(['applied a', 'applied b', 'applied c', 'applied d']);
  });

  it('takes the entries of several keys into one batch, keys in arrival order, at most maxBatch; a key is never in two batches at once', async () => {
    const slots = new Slots(1);
    const { apply, batches, commits } = controlledApply();
    const commit = new GroupCommit(apply, 3, slots);
    const release = holdSlot(slots);
    const all = [commit.submit('run-1', 'a'), commit.submit('run-2', 'x'), commit.submit('run-1', 'b'), commit.submit('run-3', 'p'), commit.submit('run-2', 'y')];
    await tick();
    expect(batches).toEqual([]);
    release();
    await tick();
    // run-2 is cut at the cap; its rest waits for this batch, run-3 asks for the (busy) slot.
    expect(batches).toEqual([['a', 'b', 'x']]);
    all.push(commit.submit('run-1', 'c'));
    await tick();
    expect(batches).toEqual([['a', 'b', 'x']]);
    commits[0].resolve();
    await tick();
    expect(batches).toEqual([['a', 'b', 'x'], ['y', 'p', 'c']]);
    commits[1].resolve();
    expect(await Promise.all(all)).toEqual(['applied a', 'applied x', 'applied b', 'applied p', 'applied y', 'applied c']);
  });

  it('applies a backlog by as many batches at once as it has slots', async () => {
    const { apply, batches, commits } = controlledApply();
    const commit = new GroupCommit(apply, 2, new Slots(2));
    const all = ['k1', 'k2', 'k3', 'k4', 'k5'].map((key) => commit.submit(key, key));
    await tick();
    expect(batches).toEqual([['k1'], ['k2']]);
    commits[0].resolve();
    await tick();
    expect(batches).toEqual([['k1'], ['k2'], ['k3', 'k4']]);
    commits[1].resolve();
    await tick();
    expect(batches).toEqual([['k1'], ['k2'], ['k3', 'k4'], ['k5']]);
    commits[2].resolve();
    commits[3].resolve();
    expect(await Promise.all(all)).toEqual(['applied k1', 'applied k2', 'applied k3', 'applied k4', 'applied k5']);
  });

  it('applies a failed batch again entry by entry: only the entry that fails alone is rejected', async () => {
    const slots = new Slots(1);
    const batches: string[][] = [];
    const commit = new GroupCommit(
      async (take: () => Keyed<string>[]) => {
        const batch = take().map(({ entry }) => entry);
        batches.push(batch);
        if (batch.includes('bad')) throw new Error('cannot apply bad');
        return batch.map((entry) => `applied ${entry}`);
      },
      100,
      slots,
    );
    const release = holdSlot(slots);
    const results = Promise.allSettled([commit.submit('run-1', 'b'), commit.submit('run-2', 'bad'), commit.submit('run-1', 'c')]);
    release();
    expect(await results).toEqual([
      { status: 'fulfilled', value: 'applied b' },
      { status: 'rejected', reason: new Error('cannot apply bad') },
      { status: 'fulfilled', value: 'applied c' },
    ]);
    expect(batches).toEqual([['b', 'c', 'bad'], ['b'], ['c'], ['bad']]);
  });

  it('rejects the entries a batch would take when applying fails before taking them (no connection), and goes on afterwards', async () => {
    let up = false;
    const commit = new GroupCommit(async (take: () => Keyed<string>[]) => {
      if (!up) throw new Error('connection refused');
      return take().map(({ entry }) => `applied ${entry}`);
    }, 100);
    const results = await Promise.allSettled([commit.submit('run-1', 'a'), commit.submit('run-2', 'b')]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    up = true;
    await expect(commit.submit('run-1', 'c')).resolves.toBe('applied c');
  });

  it('shares its slots with other work: a batch waits while other work holds them, and other work waits for a batch', async () => {
    const slots = new Slots(1);
    const { apply, batches, commits } = controlledApply();
    const commit = new GroupCommit(apply, 100, slots);
    let releaseOther!: () => void;
    const other = slots.run(() => new Promise<string>((resolve) => (releaseOther = () => resolve('other done'))));
    const applied = commit.submit('run-1', 'a');
    await tick();
    expect(batches).toEqual([]);
    const later: string[] = [];
    const third = slots.run(async () => later.push('third'));
    releaseOther();
    await expect(other).resolves.toBe('other done');
    await tick();
    // The slot went to the batch that waited first; the third piece of work waits for its commit.
    expect(batches).toEqual([['a']]);
    expect(later).toEqual([]);
    commits[0].resolve();
    await expect(applied).resolves.toBe('applied a');
    await third;
    expect(later).toEqual(['third']);
  });
});

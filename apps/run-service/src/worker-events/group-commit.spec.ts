import { jest } from '@jest/globals';
import { GroupCommit, Slots } from './group-commit.js';

/** An `apply` the test completes batch by batch (as a transaction commits), recording the batches it took. */
function controlledApply() {
  const batches: string[][] = [];
  const commits: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  const apply = jest.fn((_key: string, take: () => string[]) => {
    const batch = take();
    batches.push(batch);
    return new Promise<string[]>((resolve, reject) => {
      commits.push({ resolve: () => resolve(batch.map((entry) => `applied ${entry}`)), reject });
    });
  });
  return { apply, batches, commits };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit (item events of one run applied in batches)', () => {
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

  it('never holds one key behind another, and caps a batch', async () => {
    const { apply, batches, commits } = controlledApply();
    const commit = new GroupCommit(apply, 2);
    const all = [commit.submit('run-1', 'a'), commit.submit('run-2', 'x')];
    await tick();
    expect(batches).toEqual([['a'], ['x']]);
    all.push(commit.submit('run-1', 'b'), commit.submit('run-1', 'c'), commit.submit('run-1', 'd'));
    commits[0].resolve();
    await tick();
    commits[2].resolve();
    await tick();
    commits[1].resolve();
    commits[3].resolve();
    await Promise.all(all);
    expect(batches).toEqual([['a'], ['x'], ['b', 'c'], ['d']]);
  });

  it('applies a failed batch again entry by entry: only the entry that fails alone is rejected', async () => {
    const batches: string[][] = [];
    const commit = new GroupCommit(async (_key: string, take: () => string[]) => {
      const batch = take();
      batches.push(batch);
      if (batch.includes('bad')) throw new Error('cannot apply bad');
      return batch.map((entry) => `applied ${entry}`);
    }, 100);
    const first = commit.submit('run-1', 'a');
    const rest = Promise.allSettled([commit.submit('run-1', 'b'), commit.submit('run-1', 'bad'), commit.submit('run-1', 'c')]);
    await expect(first).resolves.toBe('applied a');
    const results = await rest;
    expect(results).toEqual([
      { status: 'fulfilled', value: 'applied b' },
      { status: 'rejected', reason: new Error('cannot apply bad') },
      { status: 'fulfilled', value: 'applied c' },
    ]);
    expect(batches).toEqual([['a'], ['b', 'bad', 'c'], ['b'], ['bad'], ['c']]);
  });

  it('rejects the waiting entries when applying fails before taking them (no connection), and goes on afterwards', async () => {
    let up = false;
    const commit = new GroupCommit(async (_key: string, take: () => string[]) => {
      if (!up) throw new Error('connection refused');
      return take().map((entry) => `applied ${entry}`);
    }, 100);
    const results = await Promise.allSettled([commit.submit('run-1', 'a'), commit.submit('run-1', 'b')]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    up = true;
    await expect(commit.submit('run-1', 'c')).resolves.toBe('applied c');
  });

  it('applies at most as many batches at once as it has slots; a waiting key gathers what arrives meanwhile into one batch', async () => {
    const { apply, batches, commits } = controlledApply();
    const commit = new GroupCommit(apply, 100, new Slots(1));
    const all = [commit.submit('run-1', 'a'), commit.submit('run-2', 'x')];
    await tick();
    // run-2 waits for the one slot; what it receives meanwhile joins its batch.
    expect(batches).toEqual([['a']]);
    all.push(commit.submit('run-2', 'y'));
    commits[0].resolve();
    await tick();
    expect(batches).toEqual([['a'], ['x', 'y']]);
    commits[1].resolve();
    expect(await Promise.all(all)).toEqual(['applied a', 'applied x', 'applied y']);
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

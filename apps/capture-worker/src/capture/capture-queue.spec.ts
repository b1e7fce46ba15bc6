import { CaptureQueue } from './capture-queue.js';

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A chunk reader the test completes (or fails) chunk by chunk, recording the chunks it was given. */
function controlledReads() {
  const chunks: number[][] = [];
  const sequences: number[] = [];
  const pending: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  const readChunk = (chunk: number[], sequence: number) => {
    chunks.push(chunk);
    sequences.push(sequence);
    return new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
  };
  return { readChunk, chunks, sequences, pending };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe('CaptureQueue (a run’s reads in chunks of any types)', () => {
  it('reads the first targets at once, then waits for full chunks while a chunk is being read', async () => {
    const { readChunk, chunks, pending } = controlledReads();
    const queue = new CaptureQueue(readChunk, { chunkSize: 4, slots: 2 });
    queue.add([1, 2]);
    expect(chunks).toEqual([[1, 2]]);
    // A listing that arrives while the first chunk is read waits for more: no chunk of one.
    queue.add([3]);
    queue.add([4, 5]);
    expect(chunks).toHaveLength(1);
    queue.add([6, 7, 8]);
    // Four waiting: a full chunk takes the free slot.
    expect(chunks).toEqual([
      [1, 2],
      [3, 4, 5, 6],
    ]);
    queue.add([9]);
    pending[0].resolve();
    await settle();
    // A slot is free but another chunk is being read: 7, 8, 9 wait for a fourth.
    expect(chunks).toHaveLength(2);
    pending[1].resolve();
    await settle();
    // Nothing is being read any more: the slot takes what there is.
    expect(chunks[2]).toEqual([7, 8, 9]);
    const finished = queue.finish();
    pending[2].resolve();
    await expect(finished).resolves.toBeUndefined();
  });

  it('reads at most `slots` chunks at once and everything left once finished', async () => {
    const { readChunk, chunks, pending } = controlledReads();
    const queue = new CaptureQueue(readChunk, { chunkSize: 3, slots: 2 });
    queue.add(range(1, 10));
    expect(chunks).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    let done = false;
    const finished = queue.finish().then(() => (done = true));
    pending[0].resolve();
    await settle();
    expect(chunks[2]).toEqual([7, 8, 9]);
    pending[1].resolve();
    await settle();
    // Finished: the last one is read alone, without waiting for a full chunk.
    expect(chunks[3]).toEqual([10]);
    pending[2].resolve();
    await settle();
    expect(done).toBe(false);
    pending[3].resolve();
    await finished;
    expect(chunks.flat()).toEqual(range(1, 10));
  });

  it('numbers the chunks in the order they start (their place in the tenant’s queue for Graph)', async () => {
    const { readChunk, chunks, sequences, pending } = controlledReads();
    const queue = new CaptureQueue(readChunk, { chunkSize: 2, slots: 2 });
    queue.add(range(1, 7));
    pending[1].resolve();
    await settle();
    pending[0].resolve();
    await settle();
    const finished = queue.finish();
    for (let index = 2; index < 4; index += 1) {
      pending[index].resolve();
      await settle();
    }
    await finished;
    expect(chunks).toEqual([[1, 2], [3, 4], [5, 6], [7]]);
    expect(sequences).toEqual([0, 1, 2, 3]);
  });

  it('starts no chunk after one failed: add throws its error, finish rejects with it once the chunks in flight are done', async () => {
    const { readChunk, chunks, pending } = controlledReads();
    const queue = new CaptureQueue(readChunk, { chunkSize: 2, slots: 2 });
    queue.add(range(1, 6));
    expect(chunks).toHaveLength(2);
    const failure = new Error('canceled');
    pending[0].reject(failure);
    await settle();
    expect(chunks).toHaveLength(2);
    expect(() => queue.add([7])).toThrow(failure);
    let outcome: unknown = 'pending';
    const finished = queue.finish().catch((error: unknown) => (outcome = error));
    await settle();
    // The chunk in flight still finishes before the failure is reported.
    expect(outcome).toBe('pending');
    pending[1].resolve();
    await finished;
    expect(outcome).toBe(failure);
    expect(chunks).toHaveLength(2);
  });

  it('stop drops what waits and resolves once the chunks in flight are done', async () => {
    const { readChunk, chunks, pending } = controlledReads();
    const queue = new CaptureQueue(readChunk, { chunkSize: 2, slots: 1 });
    queue.add(range(1, 5));
    let stopped = false;
    const stopping = queue.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    pending[0].resolve();
    await stopping;
    expect(chunks).toEqual([[1, 2]]);
  });

  it('finishes at once when nothing was added', async () => {
    const { readChunk, chunks } = controlledReads();
    await new CaptureQueue(readChunk, { chunkSize: 2, slots: 1 }).finish();
    expect(chunks).toEqual([]);
  });
});

import { TurnBatches } from './turn-batches.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A `write` the test completes batch by batch, recording the batches it was given. */
function controlledWrite() {
  const batches: number[][] = [];
  const done: Array<() => void> = [];
  const write = (batch: number[]) => {
    batches.push(batch);
    return new Promise<void>((resolve) => done.push(resolve));
  };
  return { write, batches, done };
}

describe('TurnBatches (group commit by event-loop turn)', () => {
  it('hands what was added in one turn to one batch, on the next turn', async () => {
    const { write, batches } = controlledWrite();
    const batcher = new TurnBatches(write, { maxBatch: 64, maxInFlight: 2 });
    for (let entry = 1; entry <= 10; entry += 1) batcher.add(entry);
    expect(batches).toEqual([]);
    await nextTurn();
    expect(batches).toEqual([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]);
  });

  it('cuts the queue at maxBatch, writes at most maxInFlight at once, and the rest joins the next batch when a slot frees', async () => {
    const { write, batches, done } = controlledWrite();
    const batcher = new TurnBatches(write, { maxBatch: 3, maxInFlight: 2 });
    for (let entry = 1; entry <= 8; entry += 1) batcher.add(entry);
    await nextTurn();
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    batcher.add(9);
    await nextTurn();
    expect(batches).toHaveLength(2);
    done[0]();
    await nextTurn();
    expect(batches[2]).toEqual([7, 8, 9]);
    done[1]();
    done[2]();
    await nextTurn();
    expect(batches).toHaveLength(3);
  });

  it('schedules one hand-over per turn, and a new one for entries added after it', async () => {
    const { write, batches, done } = controlledWrite();
    const batcher = new TurnBatches(write, { maxBatch: 64, maxInFlight: 4 });
    batcher.add(1);
    await nextTurn();
    batcher.add(2);
    batcher.add(3);
    await nextTurn();
    expect(batches).toEqual([[1], [2, 3]]);
    done.forEach((finish) => finish());
  });
});

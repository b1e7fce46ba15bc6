import { RunItemStatus, RunStatus, type WorkerItemFinishedEvent, type WorkerRunStartedEvent } from '@policyvault/contracts';
import { RunEntity } from '../runs/run.entity.js';
import { effectOf, type WorkerEventOf } from './run-effect.js';

const RUN_ID = '33333333-3333-4333-8333-333333333333';
const TENANT_ID = '11111111-1111-4111-8111-111111111111';
const at = (second: number) => new Date(Date.UTC(2026, 11, 2, 12, 0, second)).toISOString();

function run(fields: Partial<RunEntity>): RunEntity {
  return Object.assign(new RunEntity(), { id: RUN_ID, tenantId: TENANT_ID, status: RunStatus.Queued, startedAt: null, plannedItems: null, totalItems: 0, ...fields });
}
const started = (second: number, plannedItems?: number): WorkerEventOf => ({
  kind: 'started',
  worker: 'capture-worker',
  event: { runId: RUN_ID, tenantId: TENANT_ID, occurredAt: at(second), plannedItems } as WorkerRunStartedEvent,
});
const item = (itemKey: string, second: number): WorkerEventOf => ({
  kind: 'item',
  worker: 'capture-worker',
  event: { runId: RUN_ID, tenantId: TENANT_ID, itemKey, status: RunItemStatus.Succeeded, occurredAt: at(second) } as WorkerItemFinishedEvent,
});
const batchOf = (...reports: Array<[string, number]>): WorkerEventOf => ({
  kind: 'item',
  worker: 'capture-worker',
  event: { runId: RUN_ID, tenantId: TENANT_ID, occurredAt: at(59), items: reports.map(([itemKey, second]) => ({ itemKey, status: RunItemStatus.Succeeded, occurredAt: at(second) })) } as WorkerItemFinishedEvent,
});

describe('effectOf (what a batch of run-started and item events does to a run)', () => {
  it('starts a queued run at its started event, with its planned items as the total', () => {
    expect(effectOf(run({}), [started(5, 3)])).toEqual({ items: [], running: { id: RUN_ID, startedAt: new Date(at(5)), plannedItems: 3, totalItems: 3 } });
  });

  it("starts a queued run by its items alone, at the earliest item's time (out of order), items in arrival order", () => {
    const { items, running } = effectOf(run({}), [item('b', 9), batchOf(['a', 7], ['c', 8])]);
    expect(items.map(({ itemKey }) => itemKey)).toEqual(['b', 'a', 'c']);
    expect(running).toEqual({ id: RUN_ID, startedAt: new Date(at(7)), plannedItems: null, totalItems: 0 });
  });

  it('takes the earliest start of duplicated and late started events and of the items of a queued run; the last planned items', () => {
    const effect = effectOf(run({ totalItems: 4 }), [item('a', 6), started(8, 2), started(5), started(9, 3)]);
    expect(effect.running).toEqual({ id: RUN_ID, startedAt: new Date(at(5)), plannedItems: 3, totalItems: 4 });
  });

  it('leaves a running run alone for its items, and changes it only when a started event reports something new', () => {
    const running = run({ status: RunStatus.Running, startedAt: new Date(at(5)), plannedItems: 3, totalItems: 3 });
    expect(effectOf(running, [item('a', 1)])).toEqual({ items: [expect.objectContaining({ itemKey: 'a' })], running: null });
    expect(effectOf(running, [started(5, 3)]).running).toBeNull();
    expect(effectOf(running, [started(4)]).running).toEqual({ id: RUN_ID, startedAt: new Date(at(4)), plannedItems: 3, totalItems: 3 });
    expect(effectOf(running, [started(6, 5)]).running).toEqual({ id: RUN_ID, startedAt: new Date(at(5)), plannedItems: 5, totalItems: 5 });
  });

  it('changes nothing for a queued run without events that make it run', () => {
    expect(effectOf(run({}), [batchOf()])).toEqual({ items: [], running: null });
  });
});

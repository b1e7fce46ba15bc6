import type { RunStatusEvent, RunView } from '../api/contracts';
import { activeRunsReducer, percentDone, type ActiveRunsState } from './active-runs.reducer';

const CONTOSO = 'tenant-contoso';
const FABRIKAM = 'tenant-fabrikam';

function run(id: string, tenantId: string, status: RunView['status'], counts = { total: 10, succeeded: 2, failed: 1, skipped: 0 }): RunView {
  return {
    id,
    tenantId,
    type: 'backup_set.create' as RunView['type'],
    target: {},
    scope: {},
    status,
    counts,
    initiator: { userId: 'u', email: 'owner@contoso.test' },
    summary: null,
    error: null,
    cancelRequested: false,
    queuedAt: '2026-12-01T10:00:00Z',
    startedAt: null,
    finishedAt: null,
  };
}

function event(runId: string, tenantId: string, status: string, counts: RunStatusEvent['counts'], kind = 'progress'): RunStatusEvent {
  return { eventId: `${runId}-${status}-${counts.succeeded}`, kind, runId, tenantId, type: 'inventory.sync', status, cancelRequested: false, counts, initiator: { userId: 'u', email: 'e' }, occurredAt: '2026-12-01T10:00:01Z' } as unknown as RunStatusEvent;
}

const empty: ActiveRunsState = new Map();

describe('the progress widget reducer', () => {
  it('takes the active runs of a snapshot and leaves ended ones out', () => {
    const state = activeRunsReducer(empty, { kind: 'snapshot', tenantIds: [CONTOSO], runs: [run('a', CONTOSO, 'running' as RunView['status']), run('b', CONTOSO, 'succeeded' as RunView['status'])] });
    expect([...state.keys()]).toEqual(['a']);
    expect(state.get('a')).toMatchObject({ tenantId: CONTOSO, total: 10, done: 3, status: 'running' });
  });

  it('replaces only the snapshot tenant’s runs (a reconnect of one tenant keeps the others)', () => {
    let state = activeRunsReducer(empty, { kind: 'snapshot', tenantIds: [FABRIKAM], runs: [run('f', FABRIKAM, 'queued' as RunView['status'])] });
    state = activeRunsReducer(state, { kind: 'snapshot', tenantIds: [CONTOSO], runs: [run('a', CONTOSO, 'running' as RunView['status'])] });
    state = activeRunsReducer(state, { kind: 'snapshot', tenantIds: [CONTOSO], runs: [] });
    expect([...state.keys()]).toEqual(['f']);
  });

  it('moves a run forward with each progress event and drops it at its terminal transition', () => {
    let state = activeRunsReducer(empty, { kind: 'event', event: event('r', CONTOSO, 'queued', { total: 0, succeeded: 0, failed: 0, skipped: 0 }, 'transition') });
    expect(state.get('r')).toMatchObject({ status: 'queued', total: 0, done: 0 });
    state = activeRunsReducer(state, { kind: 'event', event: event('r', CONTOSO, 'running', { total: 4, succeeded: 3, failed: 0, skipped: 1 }) });
    expect(percentDone(state.get('r')!)).toBe(100);
    const ended = activeRunsReducer(state, { kind: 'event', event: event('r', CONTOSO, 'succeeded', { total: 4, succeeded: 3, failed: 0, skipped: 1 }, 'transition') });
    expect(ended.size).toBe(0);
  });

  it('returns the same state for the end of a run it never saw (no re-render)', () => {
    const state = activeRunsReducer(empty, { kind: 'snapshot', tenantIds: [CONTOSO], runs: [run('a', CONTOSO, 'running' as RunView['status'])] });
    expect(activeRunsReducer(state, { kind: 'event', event: event('other', CONTOSO, 'failed', { total: 1, succeeded: 0, failed: 1, skipped: 0 }, 'transition') })).toBe(state);
  });

  it('takes one snapshot of several tenants, each run under its own tenant', () => {
    const state = activeRunsReducer(empty, {
      kind: 'snapshot',
      tenantIds: [CONTOSO, FABRIKAM],
      runs: [run('a', CONTOSO, 'running' as RunView['status']), run('f', FABRIKAM, 'queued' as RunView['status'])],
    });
    expect([...state.values()].map((active) => `${active.runId}@${active.tenantId}`)).toEqual([`a@${CONTOSO}`, `f@${FABRIKAM}`]);
  });

  it('forgets the runs of a tenant no longer followed (membership revoked), and keeps the same state when nothing goes', () => {
    const state = activeRunsReducer(empty, {
      kind: 'snapshot',
      tenantIds: [CONTOSO, FABRIKAM],
      runs: [run('a', CONTOSO, 'running' as RunView['status']), run('f', FABRIKAM, 'queued' as RunView['status'])],
    });
    expect([...activeRunsReducer(state, { kind: 'following', tenantIds: [FABRIKAM] }).keys()]).toEqual(['f']);
    expect(activeRunsReducer(state, { kind: 'following', tenantIds: [] }).size).toBe(0);
    expect(activeRunsReducer(state, { kind: 'following', tenantIds: [CONTOSO, FABRIKAM] })).toBe(state);
  });

  it('computes percentages that never exceed 100 and are 0 before the total is known', () => {
    expect(percentDone({ total: 0, done: 0 })).toBe(0);
    expect(percentDone({ total: 3, done: 1 })).toBe(33);
    expect(percentDone({ total: 3, done: 5 })).toBe(100);
  });
});

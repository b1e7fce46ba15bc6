import { jest } from '@jest/globals';
import { QueryClient, type QueryKey } from '@tanstack/react-query';
import type { RunView } from '../api/contracts';
import { queryKeys } from '../api/query-keys';
import type { ActiveRunsAction } from './active-runs.reducer';
import { runView } from '../../test/run-view';
import { liveRunMessageHandler } from './live-run-messages';

const CONTOSO = 'tenant-contoso';

const running = runView({ tenantId: CONTOSO });

const statusEvent = (status: string, kind: 'transition' | 'progress', succeeded: number) => ({
  event: 'run-status',
  id: String(succeeded + 10),
  data: JSON.stringify({ eventId: `e-${status}-${succeeded}`, kind, runId: running.id, tenantId: CONTOSO, type: running.type, status, cancelRequested: false, counts: { total: 4, succeeded, failed: 0, skipped: 0 }, occurredAt: '2026-12-01T10:00:02Z' }),
});
const snapshot = (runs: RunView[]) => ({ event: 'snapshot', id: '7', data: JSON.stringify({ runs, truncated: false }) });

describe('liveRunMessageHandler', () => {
  function setUp() {
    const queryClient = new QueryClient();
    const invalidated: QueryKey[] = [];
    const actions: ActiveRunsAction[] = [];
    const handle = liveRunMessageHandler({
      queryClient,
      lists: { invalidate: (key) => void invalidated.push(key), dispose: () => undefined },
      dispatch: (action) => void actions.push(action),
      notificationsAgainMs: 0,
    });
    return { queryClient, invalidated, actions, handle };
  }

  it('moves the cached run with each event and reads its tenant’s lists again on a transition, not on progress', () => {
    const { queryClient, invalidated, actions, handle } = setUp();
    queryClient.setQueryData(queryKeys.runs.detail(CONTOSO, running.id), running);

    handle(statusEvent('running', 'progress', 3));
    expect(queryClient.getQueryData<RunView>(queryKeys.runs.detail(CONTOSO, running.id))).toMatchObject({ status: 'running', counts: { succeeded: 3 } });
    expect(invalidated).toEqual([]);

    jest.useFakeTimers();
    try {
      handle(statusEvent('succeeded', 'transition', 4));
      expect(queryClient.getQueryData<RunView>(queryKeys.runs.detail(CONTOSO, running.id))).toMatchObject({ status: 'succeeded', counts: { succeeded: 4 } });
      expect(invalidated).toEqual([
        queryKeys.runs.all(CONTOSO),
        queryKeys.backupSets.all(CONTOSO),
        queryKeys.policies.all(CONTOSO),
        queryKeys.driftReports.all(CONTOSO),
        queryKeys.notifications(),
      ]);
      jest.runAllTimers();
      expect(invalidated.at(-1)).toEqual(queryKeys.notifications());
      expect(invalidated).toHaveLength(6);
    } finally {
      jest.useRealTimers();
    }
    expect(actions.map((action) => action.kind)).toEqual(['event', 'event']);
  });

  it('leaves a run it has not cached uncached (the page’s own read brings it)', () => {
    const { queryClient, handle } = setUp();
    handle(statusEvent('running', 'progress', 2));
    expect(queryClient.getQueryData(queryKeys.runs.detail(CONTOSO, running.id))).toBeUndefined();
  });

  it('reads every tenant view again after a snapshot that follows an earlier connection (nothing was resumed), not after the first', () => {
    const { invalidated, actions, handle } = setUp();
    handle({ event: 'tenants', data: JSON.stringify({ tenantIds: [CONTOSO] }) });
    handle(snapshot([running]));
    expect(invalidated).toEqual([]);

    // The stream dropped and its events aged out: the next connection starts over with a snapshot.
    handle({ event: 'tenants', data: JSON.stringify({ tenantIds: [CONTOSO] }) });
    handle(snapshot([]));
    expect(invalidated).toEqual([queryKeys.tenants()]);
    expect(actions).toEqual([
      { kind: 'following', tenantIds: [CONTOSO] },
      { kind: 'snapshot', tenantIds: [CONTOSO], runs: [running] },
      { kind: 'following', tenantIds: [CONTOSO] },
      { kind: 'snapshot', tenantIds: [CONTOSO], runs: [] },
    ]);
  });

  it('on the first snapshot, brings a run the page read before the stream opened up to date: its view when still active, read again when it ended unseen', () => {
    const { queryClient, invalidated, handle } = setUp();
    const other: RunView = { ...running, id: 'run-2', counts: { ...running.counts, succeeded: 0 } };
    const ended: RunView = { ...running, id: 'run-3', status: 'succeeded' as RunView['status'] };
    for (const run of [running, other, ended]) queryClient.setQueryData(queryKeys.runs.detail(CONTOSO, run.id), run);
    const moved: RunView = { ...other, counts: { ...other.counts, succeeded: 3 } };

    handle({ event: 'tenants', data: JSON.stringify({ tenantIds: [CONTOSO] }) });
    handle(snapshot([moved]));
    // run-2 is still going: the snapshot's view. run-1 is not in it: it ended while the stream was not open.
    expect(queryClient.getQueryData(queryKeys.runs.detail(CONTOSO, other.id))).toEqual(moved);
    expect(invalidated).toEqual(expect.arrayContaining([queryKeys.runs.all(CONTOSO), queryKeys.backupSets.all(CONTOSO), queryKeys.notifications()]));
    expect(queryClient.getQueryData(queryKeys.runs.detail(CONTOSO, ended.id))).toEqual(ended);
  });

  it('on the first snapshot, reads nothing again when every cached active run is in it', () => {
    const { queryClient, invalidated, handle } = setUp();
    queryClient.setQueryData(queryKeys.runs.detail(CONTOSO, running.id), running);
    handle(snapshot([running]));
    expect(invalidated).toEqual([]);
  });

  it('reads the tenant list again when the followed tenants change, and not when they are the same', () => {
    const { queryClient, handle } = setUp();
    const invalidate = jest.spyOn(queryClient, 'invalidateQueries').mockResolvedValue(undefined);
    handle({ event: 'tenants', data: JSON.stringify({ tenantIds: [CONTOSO] }) });
    handle({ event: 'tenants', data: JSON.stringify({ tenantIds: [CONTOSO] }) });
    expect(invalidate).not.toHaveBeenCalled();
    handle({ event: 'tenants', data: JSON.stringify({ tenantIds: [CONTOSO, 'tenant-fabrikam'] }) });
    expect(invalidate).toHaveBeenCalledWith({ queryKey: queryKeys.tenants(), exact: true });
  });
});

// What each message of the user's live stream does: the header widget's reducer gets every one; the query cache gets
// a run's new status and counts at once, and the lists an ended run may have changed are read again.
import type { QueryClient } from '@tanstack/react-query';
import type { RunStatusEvent, RunView } from '../api/contracts';
import { queryKeys } from '../api/query-keys';
import { isActiveStatus, type ActiveRunsAction } from './active-runs.reducer';
import type { coalescedInvalidation } from './coalesced-invalidation';
import type { SseMessage } from './sse-reader';

export interface LiveRunMessageTargets {
  queryClient: QueryClient;
  /** Coalesced invalidation of list keys (a burst of events reads a list a few times, not once per event). */
  lists: ReturnType<typeof coalescedInvalidation>;
  dispatch: (action: ActiveRunsAction) => void;
  /** How long after a run's end the notifications are read a second time (the notifier writes just after it). */
  notificationsAgainMs?: number;
}

/** One handler per stream (it keeps what the stream followed and whether a snapshot came before). */
export function liveRunMessageHandler({ queryClient, lists, dispatch, notificationsAgainMs = 1500 }: LiveRunMessageTargets): (message: SseMessage) => void {
  // The tenants the stream follows (its `tenants` event, first on every connection and on every change).
  let following: readonly string[] | undefined;
  // Whether a snapshot came before on this stream (a later one means a connection that was not resumed).
  let hadSnapshot = false;
  return (message) => {
    if (message.event === 'tenants') {
      const { tenantIds } = JSON.parse(message.data) as { tenantIds: string[] };
      // A tenant granted or revoked while signed in: the tenant list (switcher, fleet) changed too.
      if (following !== undefined && !sameTenants(following, tenantIds)) void queryClient.invalidateQueries({ queryKey: queryKeys.tenants(), exact: true });
      following = tenantIds;
      dispatch({ kind: 'following', tenantIds });
    } else if (message.event === 'snapshot') {
      const { runs } = JSON.parse(message.data) as { runs: RunView[] };
      dispatch({ kind: 'snapshot', tenantIds: following ?? [...new Set(runs.map((run) => run.tenantId))], runs });
      // A later connection that starts with a snapshot was not resumed (the events after the client's last one are no
      // longer stored): what it missed, such as a run that ended meanwhile, is read again where it is on screen.
      if (hadSnapshot) lists.invalidate(queryKeys.tenants());
      else reconcileActiveRuns(runs);
      hadSnapshot = true;
    } else if (message.event === 'run-status') {
      const event = JSON.parse(message.data) as RunStatusEvent;
      dispatch({ kind: 'event', event });
      queryClient.setQueryData<RunView>(queryKeys.runs.detail(event.tenantId, event.runId), (run) =>
        run ? { ...run, status: event.status, counts: event.counts, cancelRequested: event.cancelRequested, error: event.error ?? run.error } : run,
      );
      if (event.kind !== 'transition') return;
      if (isActiveStatus(event.status)) lists.invalidate(queryKeys.runs.all(event.tenantId));
      else readAgainAfterEnd(event.tenantId);
    }
  };

  /** A run of the tenant ended: its runs, and what it may have written, read again. */
  function readAgainAfterEnd(tenantId: string): void {
    lists.invalidate(queryKeys.runs.all(tenantId));
    // An ended run may have written a backup set, policies or a drift report: those views read again when on
    // screen, and when next shown otherwise (not only after staleTime).
    for (const key of [queryKeys.backupSets.all(tenantId), queryKeys.policies.all(tenantId), queryKeys.driftReports.all(tenantId)]) lists.invalidate(key);
    // The notifier writes its notification just after the transition: look now and once more shortly.
    lists.invalidate(queryKeys.notifications());
    setTimeout(() => lists.invalidate(queryKeys.notifications()), notificationsAgainMs);
  }

  /**
   * The first snapshot: a page may have read a run before the stream was open (at sign-in, or while it reconnected
   * after a failed start), and the run's end may have come in between, unseen. A run the cache holds as queued or
   * running takes the snapshot's view; one the snapshot lacks has ended since (or is older than its newest runs), and
   * is read again with what it may have written.
   */
  function reconcileActiveRuns(active: readonly RunView[]): void {
    const byId = new Map(active.map((run) => [run.id, run]));
    const ended = new Set<string>();
    for (const query of queryClient.getQueryCache().findAll({ predicate: ({ queryKey }) => queryKeys.runs.isDetail(queryKey) })) {
      const cached = query.state.data as RunView | undefined;
      if (!cached || !isActiveStatus(cached.status)) continue;
      const current = byId.get(cached.id);
      if (current) queryClient.setQueryData(query.queryKey, current);
      else ended.add(cached.tenantId);
    }
    for (const tenantId of ended) readAgainAfterEnd(tenantId);
  }
}

function sameTenants(current: readonly string[], next: readonly string[]): boolean {
  const known = new Set(current);
  return current.length === next.length && next.every((tenantId) => known.has(tenantId));
}

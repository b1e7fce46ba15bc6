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
  let snapshots = 0;
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
      if (snapshots > 0) lists.invalidate(queryKeys.tenants());
      snapshots += 1;
    } else if (message.event === 'run-status') {
      const event = JSON.parse(message.data) as RunStatusEvent;
      dispatch({ kind: 'event', event });
      queryClient.setQueryData<RunView>(queryKeys.runs.detail(event.tenantId, event.runId), (run) =>
        run ? { ...run, status: event.status, counts: event.counts, cancelRequested: event.cancelRequested, error: event.error ?? run.error } : run,
      );
      if (event.kind !== 'transition') return;
      lists.invalidate(queryKeys.runs.all(event.tenantId));
      if (isActiveStatus(event.status)) return;
      // An ended run may have written a backup set, policies or a drift report: those views read again when on
      // screen, and when next shown otherwise (not only after staleTime).
      for (const key of [queryKeys.backupSets.all(event.tenantId), queryKeys.policies.all(event.tenantId), queryKeys.driftReports.all(event.tenantId)]) lists.invalidate(key);
      // The notifier writes its notification just after the transition: look now and once more shortly.
      lists.invalidate(queryKeys.notifications());
      setTimeout(() => lists.invalidate(queryKeys.notifications()), notificationsAgainMs);
    }
  };
}

function sameTenants(current: readonly string[], next: readonly string[]): boolean {
  const known = new Set(current);
  return current.length === next.length && next.every((tenantId) => known.has(tenantId));
}

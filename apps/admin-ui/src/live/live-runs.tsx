// ONE live stream for every tenant the user sees (GET /api/runs/events; an MSP administrator's hundreds of
// tenants would otherwise hold a connection each, and a browser allows about six per host over HTTP/1.1).
// Events go into the query cache (the run's detail, its tenant's lists refetched on transitions) and into
// the header widget's reducer, per tenant; no second store for run data.
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useReducer, type ReactNode } from 'react';
import type { RunStatusEvent, RunView } from '../api/contracts';
import { authorizedHeaders } from '../api/http';
import { queryKeys } from '../api/query-keys';
import { coalescedInvalidation } from './coalesced-invalidation';
import { activeRunsReducer, isActiveStatus, type ActiveRunsState } from './active-runs.reducer';
import { followSse } from './sse-reader';

/** The user's live stream of run events across their tenants. */
export const LIVE_RUNS_URL = '/api/runs/events';

const ActiveRunsContext = createContext<ActiveRunsState>(new Map());

export function useActiveRuns(): ActiveRunsState {
  return useContext(ActiveRunsContext);
}

export function LiveRunsProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [activeRuns, dispatch] = useReducer(activeRunsReducer, new Map());

  useEffect(() => {
    const controller = new AbortController();
    const lists = coalescedInvalidation(queryClient, 500);
    // The tenants the stream follows (its `tenants` event, first on every connection and on every change).
    let following: readonly string[] | undefined;
    void followSse({
      url: LIVE_RUNS_URL,
      headers: () => authorizedHeaders(),
      signal: controller.signal,
      // 401/403: nothing of any tenant is live any more (and the stream does not retry).
      onHttpError: (status) => {
        if (status === 401 || status === 403) dispatch({ kind: 'following', tenantIds: [] });
      },
      onMessage: (message) => {
        if (message.event === 'tenants') {
          const { tenantIds } = JSON.parse(message.data) as { tenantIds: string[] };
          // A tenant granted or revoked while signed in: the tenant list (switcher, fleet) changed too.
          if (following !== undefined && !sameTenants(following, tenantIds)) void queryClient.invalidateQueries({ queryKey: queryKeys.tenants(), exact: true });
          following = tenantIds;
          dispatch({ kind: 'following', tenantIds });
        } else if (message.event === 'snapshot') {
          const { runs } = JSON.parse(message.data) as { runs: RunView[] };
          dispatch({ kind: 'snapshot', tenantIds: following ?? [...new Set(runs.map((run) => run.tenantId))], runs });
        } else if (message.event === 'run-status') {
          const event = JSON.parse(message.data) as RunStatusEvent;
          dispatch({ kind: 'event', event });
          queryClient.setQueryData<RunView>(queryKeys.runs.detail(event.tenantId, event.runId), (run) =>
            run ? { ...run, status: event.status, counts: event.counts, cancelRequested: event.cancelRequested, error: event.error ?? run.error } : run,
          );
          if (event.kind === 'transition') {
            lists.invalidate(queryKeys.runs.all(event.tenantId));
            if (!isActiveStatus(event.status)) {
              // An ended run may have written a backup set, policies or a drift report: those views read again when
              // on screen, and when next shown otherwise (not only after staleTime).
              for (const key of [queryKeys.backupSets.all(event.tenantId), queryKeys.policies.all(event.tenantId), queryKeys.driftReports.all(event.tenantId)]) lists.invalidate(key);
              // The notifier writes its notification just after the transition: look now and once more shortly.
              lists.invalidate(queryKeys.notifications());
              setTimeout(() => lists.invalidate(queryKeys.notifications()), 1500);
            }
          }
        }
      },
    });
    return () => {
      controller.abort();
      lists.dispose();
    };
  }, [queryClient]);

  return <ActiveRunsContext.Provider value={activeRuns}>{children}</ActiveRunsContext.Provider>;
}

function sameTenants(current: readonly string[], next: readonly string[]): boolean {
  const known = new Set(current);
  return current.length === next.length && next.every((tenantId) => known.has(tenantId));
}

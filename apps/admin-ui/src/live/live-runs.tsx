// ONE live stream for every tenant the user sees (GET /api/runs/events; an MSP administrator's hundreds of
// tenants would otherwise hold a connection each, and a browser allows about six per host over HTTP/1.1).
// Events go into the query cache (the run's detail, its tenant's lists refetched on transitions) and into
// the header widget's reducer, per tenant; no second store for run data.
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useReducer, type ReactNode } from 'react';
import { authorizedHeaders } from '../api/http';
import { coalescedInvalidation } from './coalesced-invalidation';
import { activeRunsReducer, type ActiveRunsState } from './active-runs.reducer';
import { liveRunMessageHandler } from './live-run-messages';
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
    void followSse({
      url: LIVE_RUNS_URL,
      headers: () => authorizedHeaders(),
      signal: controller.signal,
      // 401/403: nothing of any tenant is live any more (and the stream does not retry).
      onHttpError: (status) => {
        if (status === 401 || status === 403) dispatch({ kind: 'following', tenantIds: [] });
      },
      onMessage: liveRunMessageHandler({ queryClient, lists, dispatch }),
    });
    return () => {
      controller.abort();
      lists.dispose();
    };
  }, [queryClient]);

  return <ActiveRunsContext.Provider value={activeRuns}>{children}</ActiveRunsContext.Provider>;
}

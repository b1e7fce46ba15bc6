// One live stream per tenant the user sees (GET /api/tenants/:id/runs/events). Events go into the query
// cache (the run's detail, lists refetched on transitions) and into the header widget's reducer; no
// second store for run data.
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useReducer, type ReactNode } from 'react';
import type { RunStatusEvent, RunView, Tenant } from '../api/contracts';
import { authorizedHeaders } from '../api/http';
import { queryKeys } from '../api/query-keys';
import { coalescedInvalidation } from './coalesced-invalidation';
import { activeRunsReducer, isActiveStatus, type ActiveRunsState } from './active-runs.reducer';
import { followSse } from './sse-reader';

const ActiveRunsContext = createContext<ActiveRunsState>(new Map());

export function useActiveRuns(): ActiveRunsState {
  return useContext(ActiveRunsContext);
}

export function LiveRunsProvider({ tenants, children }: { tenants: Tenant[]; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [activeRuns, dispatch] = useReducer(activeRunsReducer, new Map());
  const tenantIds = tenants.map((tenant) => tenant.id).join(',');

  useEffect(() => {
    const controller = new AbortController();
    const lists = coalescedInvalidation(queryClient, 500);
    for (const tenantId of tenantIds.split(',').filter(Boolean)) {
      void followSse({
        url: `/api/tenants/${tenantId}/runs/events`,
        headers: () => authorizedHeaders(),
        signal: controller.signal,
        onHttpError: () => dispatch({ kind: 'tenant-closed', tenantId }),
        onMessage: (message) => {
          if (message.event === 'snapshot') {
            const { runs } = JSON.parse(message.data) as { runs: RunView[] };
            dispatch({ kind: 'snapshot', tenantId, runs });
          } else if (message.event === 'run-status') {
            const event = JSON.parse(message.data) as RunStatusEvent;
            dispatch({ kind: 'event', event });
            queryClient.setQueryData<RunView>(queryKeys.runs.detail(tenantId, event.runId), (run) =>
              run ? { ...run, status: event.status, counts: event.counts, cancelRequested: event.cancelRequested, error: event.error ?? run.error } : run,
            );
            if (event.kind === 'transition') {
              lists.invalidate(queryKeys.runs.all(tenantId));
              if (!isActiveStatus(event.status)) {
                // The notifier writes its notification just after the transition: look now and once more shortly.
                lists.invalidate(queryKeys.notifications());
                setTimeout(() => lists.invalidate(queryKeys.notifications()), 1500);
              }
            }
          }
        },
      });
    }
    return () => {
      controller.abort();
      lists.dispose();
    };
  }, [tenantIds, queryClient]);

  return <ActiveRunsContext.Provider value={activeRuns}>{children}</ActiveRunsContext.Provider>;
}

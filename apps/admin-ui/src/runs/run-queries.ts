import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AuditEventView, Page, RunItemView, RunView, Tenant } from '../api/contracts';
import { api, queryString } from '../api/http';
import { queryKeys, type RunListFilters } from '../api/query-keys';
import { isActiveStatus } from '../live/active-runs.reducer';
import { periodStart } from './run-periods';

export const RUNS_PAGE_SIZE = 25;

// Option factories: the hooks use them, and the router's loaders prefetch with them (so a page's data is
// requested at navigation, alongside the tenants, not after the layout above it has rendered).
export const tenantsQuery = () => queryOptions({ queryKey: queryKeys.tenants(), queryFn: () => api<{ items: Tenant[] }>('/api/tenants'), staleTime: 60_000 });

export const runsQuery = (tenantId: string, filters: RunListFilters) =>
  queryOptions({
    queryKey: queryKeys.runs.list(tenantId, filters),
    queryFn: ({ signal }) => {
      const { period, ...rest } = filters;
      return api<Page<RunView>>(`/api/tenants/${tenantId}/runs${queryString({ ...rest, queuedFrom: periodStart(period), limit: RUNS_PAGE_SIZE })}`, { signal });
    },
  });

export function useTenants() {
  return useQuery(tenantsQuery());
}

export function useRuns(tenantId: string, filters: RunListFilters) {
  return useQuery({ ...runsQuery(tenantId, filters), placeholderData: (previous) => previous });
}

/**
 * While a run on screen is queued or running, it is also read again this often: the live stream moves it at once, this
 * only bounds how long a page can show a run as going on after an end it missed (a stream that could not connect, a
 * proxy that buffers events).
 */
export const ACTIVE_RUN_RECHECK_MS = 15_000;

/** One run, kept current by the live stream (LiveRunsProvider writes its events into this query); none without an id. */
export function useRun(tenantId: string, runId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.runs.detail(tenantId, runId ?? ''),
    queryFn: ({ signal }) => api<RunView>(`/api/tenants/${tenantId}/runs/${runId}`, { signal }),
    enabled: runId !== undefined,
    refetchInterval: ({ state }) => (state.data && isActiveStatus(state.data.status) ? ACTIVE_RUN_RECHECK_MS : false),
  });
}

export function useRunItems(tenantId: string, runId: string, cursor?: string) {
  return useQuery({
    queryKey: queryKeys.runs.items(tenantId, runId, cursor),
    queryFn: ({ signal }) => api<Page<RunItemView>>(`/api/tenants/${tenantId}/runs/${runId}/items${queryString({ cursor, limit: 100 })}`, { signal }),
  });
}

export function useRunAuditEvents(tenantId: string, runId: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.runs.audit(tenantId, runId),
    queryFn: ({ signal }) => api<Page<AuditEventView>>(`/api/tenants/${tenantId}/audit-events${queryString({ runId })}`, { signal }),
    enabled,
  });
}

export function useCancelRun(tenantId: string, runId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<RunView>(`/api/tenants/${tenantId}/runs/${runId}/cancel`, { method: 'POST' }),
    onSuccess: (run) => {
      queryClient.setQueryData(queryKeys.runs.detail(tenantId, runId), run);
      void queryClient.invalidateQueries({ queryKey: queryKeys.runs.all(tenantId) });
    },
  });
}

export interface StartRunRequest {
  type: string;
  target: Record<string, unknown>;
  scope: Record<string, unknown>;
  confirmation?: Record<string, unknown>;
}

export function useStartRun(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: StartRunRequest) => api<{ run: RunView; reused: boolean }>(`/api/tenants/${tenantId}/runs`, { method: 'POST', body: request }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.runs.all(tenantId) }),
  });
}

import { useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { Page, RunTypeValue, RunView } from '../api/contracts';
import { api, queryString } from '../api/http';
import { queryKeys } from '../api/query-keys';
import { isActiveStatus } from '../live/active-runs.reducer';

const POLL_MS = 2000;

/**
 * The tenant's latest run of one type, asked again every 2 s while it is queued or running (the live stream
 * also refreshes it); when it ends, `refresh` (what the run produces: a drift report, the tenant's health) is read again.
 */
export function useLatestRun(tenantId: string, type: RunTypeValue, refresh: QueryKey) {
  const queryClient = useQueryClient();
  const latest = useQuery({
    queryKey: [...queryKeys.runs.all(tenantId), 'latest', type],
    queryFn: ({ signal }) => api<Page<RunView>>(`/api/tenants/${tenantId}/runs${queryString({ type, limit: 1 })}`, { signal }),
    select: (page) => page.items[0] ?? null,
    refetchInterval: (query) => {
      const run = query.state.data?.items[0];
      return run && isActiveStatus(run.status) ? POLL_MS : false;
    },
  });
  const run = latest.data ?? null;
  const active = run !== null && isActiveStatus(run.status);
  // What was seen last: a run that ended since, a newer run that already ended (a quick one), or, on the first
  // answer, an ended run (it may have ended after `refresh` was read) refreshes.
  const seen = useRef<{ id: string; active: boolean } | null | undefined>(undefined);
  const refreshKey = JSON.stringify(refresh);
  useEffect(() => {
    if (!latest.isSuccess) return;
    const previous = seen.current;
    if (run !== null && !active && (previous === undefined || previous === null || previous.id !== run.id || previous.active)) {
      void queryClient.invalidateQueries({ queryKey: JSON.parse(refreshKey) as QueryKey });
    }
    seen.current = run ? { id: run.id, active } : null;
  }, [latest.isSuccess, run, active, queryClient, refreshKey]);
  return { run, active };
}

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { FleetBatch, FleetBatchCreated, FleetPage, RunTypeValue } from '../api/contracts';
import { api, queryString } from '../api/http';
import { queryKeys } from '../api/query-keys';
import { fleetApiQuery, type FleetSearch } from './fleet-search';

const BATCH_POLL_MS = 2000;

export function useFleet(search: FleetSearch) {
  const { batch: _batch, ...query } = search;
  return useQuery({
    queryKey: queryKeys.fleet.page(query),
    queryFn: ({ signal }) => api<FleetPage>(`/api/fleet${queryString(fleetApiQuery(query, new Date()))}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export interface StartFleetRunRequest {
  type: RunTypeValue;
  target: Record<string, unknown>;
  tenantIds: string[];
}

export function useStartFleetRun() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: StartFleetRunRequest) => api<FleetBatchCreated>('/api/fleet/runs', { method: 'POST', body: { ...request, scope: {} } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.fleet.pages() }),
  });
}

/** A fleet batch, asked again every 2 s until none of its runs is queued or running; then the overview is read again. */
export function useFleetBatch(batchId: string | undefined) {
  const queryClient = useQueryClient();
  const batch = useQuery({
    queryKey: queryKeys.fleet.batch(batchId ?? ''),
    queryFn: ({ signal }) => api<FleetBatch>(`/api/fleet/batches/${batchId}${queryString({ limit: 200 })}`, { signal }),
    enabled: batchId !== undefined,
    refetchInterval: (query) => (query.state.data?.done ? false : BATCH_POLL_MS),
  });
  const done = batch.data?.done === true;
  useEffect(() => {
    if (done) void queryClient.invalidateQueries({ queryKey: queryKeys.fleet.pages() });
  }, [done, queryClient]);
  return batch;
}

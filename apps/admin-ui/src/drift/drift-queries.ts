import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { DriftItemStatus, DriftReportPage, DriftReportView, Page } from '../api/contracts';
import { api, queryString } from '../api/http';
import { queryKeys } from '../api/query-keys';

const RUNNING_POLL_MS = 2000;

/** The tenant's drift reports, newest first; asked again while one is still being compared. */
export function useDriftReports(tenantId: string, cursor?: string) {
  return useQuery({
    queryKey: queryKeys.driftReports.list(tenantId, cursor),
    queryFn: ({ signal }) => api<Page<DriftReportView>>(`/api/tenants/${tenantId}/drift-reports${queryString({ cursor, limit: 25 })}`, { signal }),
    refetchInterval: (query) => (query.state.data?.items.some((report) => report.state === 'running') ? RUNNING_POLL_MS : false),
  });
}

export function useDriftReport(tenantId: string, reportId: string, filters: { status?: DriftItemStatus; cursor?: string }) {
  return useQuery({
    queryKey: queryKeys.driftReports.detail(tenantId, reportId, filters),
    queryFn: ({ signal }) => api<DriftReportPage>(`/api/tenants/${tenantId}/drift-reports/${reportId}${queryString({ ...filters, limit: 50 })}`, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.report.state === 'running' ? RUNNING_POLL_MS : false),
  });
}

/** "3 changed, 1 removed" (what drifted), or "No drift". */
export function driftSummary(counts: { added: number; removed: number; changed: number }): string {
  const parts = (['changed', 'removed', 'added'] as const).filter((key) => counts[key] > 0).map((key) => `${counts[key]} ${key}`);
  return parts.length > 0 ? parts.join(', ') : 'No drift';
}

export const DRIFT_ITEM_COLORS: Record<DriftItemStatus, string> = { changed: 'yellow.4', removed: 'red.9', added: 'blue.8', unchanged: 'teal.9' };

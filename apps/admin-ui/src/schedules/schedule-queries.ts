import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AuditEventView, BackupScheduleFields, BackupSchedulePreview, BackupScheduleView, Page, ScheduleRunView } from '../api/contracts';
import { api, queryString } from '../api/http';
import { queryKeys } from '../api/query-keys';

const schedulesPath = (tenantId: string) => `/api/tenants/${tenantId}/backup-schedules`;

export function useSchedules(tenantId: string, cursor?: string, limit = 25) {
  return useQuery({
    queryKey: [...queryKeys.schedules.list(tenantId, cursor), limit],
    queryFn: ({ signal }) => api<Page<BackupScheduleView>>(`${schedulesPath(tenantId)}${queryString({ cursor, limit })}`, { signal }),
  });
}

export function useSchedule(tenantId: string, scheduleId: string) {
  return useQuery({
    queryKey: queryKeys.schedules.detail(tenantId, scheduleId),
    queryFn: ({ signal }) => api<BackupScheduleView>(`${schedulesPath(tenantId)}/${scheduleId}`, { signal }),
  });
}

/** The schedule's slots, newest first: each with its outcome, run and backup set. */
export function useScheduleRuns(tenantId: string, scheduleId: string, cursor?: string) {
  return useQuery({
    queryKey: queryKeys.schedules.runs(tenantId, scheduleId, cursor),
    queryFn: ({ signal }) => api<Page<ScheduleRunView>>(`${schedulesPath(tenantId)}/${scheduleId}/runs${queryString({ cursor, limit: 25 })}`, { signal }),
  });
}

/** The audit log of the tenant (owners only; the gateway answers others 403). */
export function useAuditEvents(tenantId: string, filters: { runId?: string; scheduleId?: string; cursor?: string; limit?: number }, enabled = true) {
  return useQuery({
    queryKey: queryKeys.auditEvents.list(tenantId, filters),
    queryFn: ({ signal }) => api<Page<AuditEventView>>(`/api/tenants/${tenantId}/audit-events${queryString({ limit: 25, ...filters })}`, { signal }),
    enabled,
  });
}

export type ScheduleTiming = Pick<BackupScheduleFields, 'frequency' | 'daysOfWeek' | 'timeOfDay' | 'timeZone'>;

/**
 * The next five run times of a draft's timing, as run-service's scheduler computes them (POST …/preview):
 * the UI never computes a slot itself. Asked again 300 ms after the timing last changed.
 */
export function useSchedulePreview(tenantId: string, timing: ScheduleTiming) {
  const [sent] = useDebouncedValue(JSON.stringify(timing), 300);
  const query = useQuery({
    queryKey: queryKeys.schedules.preview(tenantId, sent),
    queryFn: ({ signal }) => api<BackupSchedulePreview>(`${schedulesPath(tenantId)}/preview`, { method: 'POST', body: JSON.parse(sent) as ScheduleTiming, signal }),
    staleTime: 30_000,
  });
  // While the user is still changing it, the last answer is not this draft's.
  const settled = sent === JSON.stringify(timing);
  return { ...query, isPending: query.isPending || !settled, data: settled ? query.data : undefined, error: settled ? query.error : null };
}

/** Create (no id) or change a schedule; either way the lists and the schedule's page are refreshed. */
export function useSaveSchedule(tenantId: string, scheduleId?: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (fields: BackupScheduleFields) =>
      scheduleId
        ? api<BackupScheduleView>(`${schedulesPath(tenantId)}/${scheduleId}`, { method: 'PATCH', body: fields })
        : api<BackupScheduleView>(schedulesPath(tenantId), { method: 'POST', body: fields }),
    onSuccess: (schedule) => {
      queryClient.setQueryData(queryKeys.schedules.detail(tenantId, schedule.id), schedule);
      void queryClient.invalidateQueries({ queryKey: queryKeys.schedules.all(tenantId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.auditEvents.all(tenantId) });
    },
  });
}

export function useDeleteSchedule(tenantId: string, scheduleId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>(`${schedulesPath(tenantId)}/${scheduleId}`, { method: 'DELETE' }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.schedules.lists(tenantId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.auditEvents.all(tenantId) });
    },
  });
}

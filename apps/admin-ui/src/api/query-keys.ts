// One query-key factory per resource: pages read with these keys, live updates (SSE) write with them.
export interface RunListFilters {
  status?: string;
  type?: string;
  /** E-mail address of who started the runs. */
  initiator?: string;
  /** A period back from now (run-periods.ts). */
  period?: string;
  cursor?: string;
}

export const queryKeys = {
  tenants: () => ['tenants'] as const,
  runs: {
    all: (tenantId: string) => ['tenants', tenantId, 'runs'] as const,
    list: (tenantId: string, filters: RunListFilters) => ['tenants', tenantId, 'runs', 'list', filters] as const,
    detail: (tenantId: string, runId: string) => ['tenants', tenantId, 'runs', 'detail', runId] as const,
    items: (tenantId: string, runId: string, cursor?: string) => ['tenants', tenantId, 'runs', 'detail', runId, 'items', cursor ?? null] as const,
    audit: (tenantId: string, runId: string) => ['tenants', tenantId, 'runs', 'detail', runId, 'audit'] as const,
    restorePreview: (tenantId: string, runId: string) => ['tenants', tenantId, 'runs', 'detail', runId, 'restore-preview'] as const,
    /** Whether a key is a run's detail (`detail` above), not one of its sub-resources. */
    isDetail: (key: readonly unknown[]) => key.length === 5 && key[0] === 'tenants' && key[2] === 'runs' && key[3] === 'detail',
  },
  backupSets: {
    all: (tenantId: string) => ['tenants', tenantId, 'backup-sets'] as const,
    list: (tenantId: string, cursor?: string) => ['tenants', tenantId, 'backup-sets', 'list', cursor ?? null] as const,
    detail: (tenantId: string, setId: string) => ['tenants', tenantId, 'backup-sets', 'detail', setId] as const,
    items: (tenantId: string, setId: string, cursor?: string) => ['tenants', tenantId, 'backup-sets', 'detail', setId, 'items', cursor ?? null] as const,
    allItems: (tenantId: string, setId: string) => ['tenants', tenantId, 'backup-sets', 'detail', setId, 'all-items'] as const,
  },
  policies: {
    all: (tenantId: string) => ['tenants', tenantId, 'policies'] as const,
    list: (tenantId: string, filters: { policyType?: string; search?: string; cursor?: string; purpose?: string }) => ['tenants', tenantId, 'policies', filters] as const,
    detail: (tenantId: string, policyId: string) => ['tenants', tenantId, 'policies', 'detail', policyId] as const,
    versions: (tenantId: string, policyId: string) => ['tenants', tenantId, 'policies', 'detail', policyId, 'versions'] as const,
    compare: (tenantId: string, policyId: string, from: string, to: string) => ['tenants', tenantId, 'policies', 'detail', policyId, 'compare', from, to] as const,
  },
  schedules: {
    all: (tenantId: string) => ['tenants', tenantId, 'schedules'] as const,
    lists: (tenantId: string) => ['tenants', tenantId, 'schedules', 'list'] as const,
    list: (tenantId: string, cursor?: string) => ['tenants', tenantId, 'schedules', 'list', cursor ?? null] as const,
    detail: (tenantId: string, scheduleId: string) => ['tenants', tenantId, 'schedules', 'detail', scheduleId] as const,
    runs: (tenantId: string, scheduleId: string, cursor?: string) => ['tenants', tenantId, 'schedules', 'detail', scheduleId, 'runs', cursor ?? null] as const,
    /** Keyed by the draft's timing (frequency, days, time, zone) as sent. */
    preview: (tenantId: string, timing: string) => ['tenants', tenantId, 'schedules', 'preview', timing] as const,
  },
  auditEvents: {
    all: (tenantId: string) => ['tenants', tenantId, 'audit-events'] as const,
    list: (tenantId: string, filters: { runId?: string; scheduleId?: string; cursor?: string; limit?: number }) => ['tenants', tenantId, 'audit-events', filters] as const,
  },
  notifications: () => ['notifications'] as const,
  me: () => ['me'] as const,
  tenant: (tenantId: string) => ['tenants', tenantId, 'detail'] as const,
  members: (tenantId: string) => ['tenants', tenantId, 'members'] as const,
  notificationChannels: (tenantId: string) => ['tenants', tenantId, 'notification-channels'] as const,
  driftReports: {
    all: (tenantId: string) => ['tenants', tenantId, 'drift-reports'] as const,
    list: (tenantId: string, cursor?: string) => ['tenants', tenantId, 'drift-reports', 'list', cursor ?? null] as const,
    detail: (tenantId: string, reportId: string, filters: { status?: string; cursor?: string }) => ['tenants', tenantId, 'drift-reports', 'detail', reportId, filters] as const,
  },
  fleet: {
    all: () => ['fleet'] as const,
    pages: () => ['fleet', 'page'] as const,
    page: (query: object) => ['fleet', 'page', query] as const,
    batch: (batchId: string) => ['fleet', 'batches', batchId] as const,
  },
  publicSettings: () => ['public-settings'] as const,
};

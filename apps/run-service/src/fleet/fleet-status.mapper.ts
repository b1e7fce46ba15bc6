import {
  DRIFT_STATUSES,
  TENANT_HEALTH_STATUSES,
  type DriftStatus,
  type FleetDriftView,
  type FleetHealthView,
  type FleetScheduleView,
  type FleetTenantRunStatus,
  type RunType,
  type TenantHealth,
} from '@policyvault/contracts';
import type { FleetScheduleJson, FleetStatusRow } from '../database/run-service.sql.js';

// Summaries are written by the workers; read them defensively so that one odd summary shows as
// "unknown" for its tenant instead of failing the whole overview.
const isOneOf = <T extends string>(values: readonly T[], value: unknown): value is T => values.includes(value as T);
const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const instant = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

function health(row: FleetStatusRow): FleetHealthView | null {
  if (!row.access_run_id || !row.access_at || !isOneOf<TenantHealth>(TENANT_HEALTH_STATUSES, row.health)) return null;
  const missing = row.access_summary?.missingPermissions;
  return {
    status: row.health,
    missingPermissions: Array.isArray(missing) ? missing.filter((permission): permission is string => typeof permission === 'string') : [],
    checkedAt: row.access_at.toISOString(),
    runId: row.access_run_id,
  };
}

function drift(row: FleetStatusRow): FleetDriftView | null {
  if (!row.drift_run_id || !row.drift_at || !isOneOf<DriftStatus>(DRIFT_STATUSES, row.drift_status)) return null;
  const summary = row.drift_summary ?? {};
  return {
    status: row.drift_status,
    checkedAt: row.drift_at.toISOString(),
    runId: row.drift_run_id,
    reportId: text(summary.reportId),
    added: count(summary.added),
    removed: count(summary.removed),
    changed: count(summary.changed),
    unchanged: count(summary.unchanged),
  };
}

function schedule(item: FleetScheduleJson): FleetScheduleView {
  return {
    id: item.id,
    name: item.name,
    nextRunAt: instant(item.nextRunAt),
    lastOutcome: item.lastSlotAt && item.lastStatus ? { slotAt: instant(item.lastSlotAt)!, status: item.lastStatus, runId: item.lastRunId } : null,
  };
}

/** One tenant of the fleet statement's page as the contract describes it. */
export function toFleetTenantRunStatus(row: FleetStatusRow & { tenant_id: string }): FleetTenantRunStatus {
  return {
    tenantId: row.tenant_id,
    health: health(row),
    lastSuccessfulBackup:
      row.backup_run_id && row.backup_at
        ? {
            finishedAt: row.backup_at.toISOString(),
            runId: row.backup_run_id,
            runType: row.backup_type as RunType,
            backupSetId: row.backup_set_id,
            itemCount: row.backup_items ?? 0,
          }
        : null,
    lastFailedRun:
      row.failed_run_id && row.failed_at
        ? { runId: row.failed_run_id, type: row.failed_type as RunType, finishedAt: row.failed_at.toISOString(), errorCode: row.failed_code }
        : null,
    activeRuns: row.active_runs ?? 0,
    drift: drift(row),
    schedules: { enabled: row.enabled_schedules ?? 0, items: (row.schedule_items ?? []).map(schedule) },
  };
}

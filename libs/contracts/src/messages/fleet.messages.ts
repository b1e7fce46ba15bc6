// The fleet overview and fleet batches (issue 12): run-service's per-tenant aggregates over many
// tenants at once (RunRpc.fleetStatus, RunRpc.statuses), requested by the gateway.
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import type { RunStatus } from '../runs/run-status.js';
import type { RunType } from '../runs/run-type.js';
import { MAX_PAGE_SIZE } from './run-rpc.messages.js';
import type { DriftStatus } from './drift.messages.js';
import { TenantAccessHealth } from './tenant-access.messages.js';

/** The most tenants one fleet request covers (the gateway sends their ids; ~40 bytes each). */
export const MAX_FLEET_TENANTS = 10_000;
/** The most tenants one fleet batch starts runs for. */
export const MAX_FLEET_BATCH_TENANTS = 5_000;

/** A tenant's health as its latest access check (`tenant.verify_access`) recorded it: TenantAccessHealth's values. */
export type TenantHealth = `${TenantAccessHealth}`;
export const TENANT_HEALTH_STATUSES: readonly TenantHealth[] = Object.values(TenantAccessHealth);
/** What a fleet filter may ask for: a health, or `unknown` (never checked). */
export type FleetHealthFilter = TenantHealth | 'unknown';
export const FLEET_HEALTH_FILTERS: readonly FleetHealthFilter[] = [...TENANT_HEALTH_STATUSES, 'unknown'];

/** A tenant's drift as its latest drift check (`drift.check`) recorded it. */
export const DRIFT_STATUSES: readonly DriftStatus[] = ['none', 'drifted'];
export type FleetDriftFilter = DriftStatus | 'unknown';
export const FLEET_DRIFT_FILTERS: readonly FleetDriftFilter[] = [...DRIFT_STATUSES, 'unknown'];

/**
 * Orders of the fleet overview; `-` reverses. `name` is the order the gateway sends the ids in;
 * `lastBackupAt` puts tenants never backed up first, `health` the worst first, `lastFailedAt` the
 * most recent failure first. Ties keep the name order.
 */
export const FLEET_SORTS = ['name', '-name', 'lastBackupAt', '-lastBackupAt', 'health', '-health', 'lastFailedAt', '-lastFailedAt'] as const;
export type FleetSort = (typeof FLEET_SORTS)[number];

/** Filters computed from runs; every one given must hold. */
export class FleetRunFilter {
  @IsOptional()
  @IsIn(FLEET_HEALTH_FILTERS)
  health?: FleetHealthFilter;

  @IsOptional()
  @IsIn(FLEET_DRIFT_FILTERS)
  drift?: FleetDriftFilter;

  /** Tenants whose last successful backup finished before this instant, or never. */
  @IsOptional()
  @IsISO8601({ strict: true })
  noSuccessfulBackupSince?: string;
}

export class FleetStatusRequest {
  /** The tenants to consider, in name order (the gateway owns names and who may see which tenant). */
  @IsArray()
  @ArrayMaxSize(MAX_FLEET_TENANTS)
  @IsUUID('all', { each: true })
  tenantIds: string[];

  @ValidateNested()
  @Type(() => FleetRunFilter)
  filter: FleetRunFilter;

  @IsIn(FLEET_SORTS)
  sort: FleetSort;

  /** Only the matching tenant ids, in order, with no aggregates (limit and offset ignored): what a fleet start by filter needs. */
  @IsOptional()
  @IsBoolean()
  idsOnly?: boolean;

  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number;

  @IsInt()
  @Min(0)
  @Max(MAX_FLEET_TENANTS)
  offset: number;
}

export interface FleetHealthView {
  status: TenantHealth;
  missingPermissions: string[];
  checkedAt: string;
  runId: string;
}

export interface FleetBackupView {
  finishedAt: string;
  runId: string;
  runType: RunType;
  backupSetId: string | null;
  /** Policies in the set (the run's succeeded items). */
  itemCount: number;
}

export interface FleetFailedRunView {
  runId: string;
  type: RunType;
  finishedAt: string;
  errorCode: string | null;
}

export interface FleetDriftView {
  status: DriftStatus;
  checkedAt: string;
  runId: string;
  reportId: string | null;
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
}

export interface FleetScheduleView {
  id: string;
  name: string;
  nextRunAt: string | null;
  /** The latest slot of the schedule: `skipped`, or the status of the run it dispatched; null before the first. */
  lastOutcome: { slotAt: string; status: string; runId: string | null } | null;
}

/** What run-service knows about one tenant, for the fleet overview. */
export interface FleetTenantRunStatus {
  tenantId: string;
  health: FleetHealthView | null;
  lastSuccessfulBackup: FleetBackupView | null;
  lastFailedRun: FleetFailedRunView | null;
  activeRuns: number;
  drift: FleetDriftView | null;
  /** Enabled schedules (count, and each with its last outcome). */
  schedules: { enabled: number; items: FleetScheduleView[] };
}

export interface FleetStatusReply {
  /** Tenants matching the filter (all pages). */
  total: number;
  /** The page (empty with idsOnly). */
  items: FleetTenantRunStatus[];
  /** With idsOnly: every matching tenant id, in order. */
  tenantIds?: string[];
}

export class RunRef {
  @IsUUID('all')
  tenantId: string;

  @IsUUID('all')
  runId: string;
}

/** The statuses of many runs, each checked against its tenant (a fleet batch's runs). */
export class RunStatusesRequest {
  @IsArray()
  @ArrayMaxSize(MAX_FLEET_BATCH_TENANTS)
  @ValidateNested({ each: true })
  @Type(() => RunRef)
  runs: RunRef[];
}

export interface RunStatusView {
  runId: string;
  tenantId: string;
  status: RunStatus;
  errorCode: string | null;
  finishedAt: string | null;
}

export interface RunStatusesReply {
  /** The runs found (a run not in its given tenant is left out). */
  runs: RunStatusView[];
}

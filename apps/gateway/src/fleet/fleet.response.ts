import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DRIFT_STATUSES,
  RunStatus,
  RunType,
  TENANT_HEALTH_STATUSES,
  TenantRole,
  type DriftStatus,
  type FleetBackupView,
  type FleetDriftView,
  type FleetFailedRunView,
  type FleetHealthView,
  type FleetScheduleView,
  type TenantHealth,
} from '@policyvault/contracts';
import { FLEET_BATCH_OUTCOMES, type FleetBatchOutcome } from './fleet-batch-run.entity.js';

export class FleetHealthResponse implements FleetHealthView {
  @ApiProperty({ enum: TENANT_HEALTH_STATUSES })
  status: TenantHealth;

  @ApiProperty({ type: [String], description: 'Application permissions the policy types need but the consent lacks.' })
  missingPermissions: string[];

  @ApiProperty({ format: 'date-time' })
  checkedAt: string;

  @ApiProperty({ format: 'uuid', description: 'The tenant.verify_access run.' })
  runId: string;
}

export class FleetBackupResponse implements FleetBackupView {
  @ApiProperty({ format: 'date-time' })
  finishedAt: string;

  @ApiProperty({ format: 'uuid' })
  runId: string;

  @ApiProperty({ enum: RunType, enumName: 'RunType', description: 'backup_set.create or backup_schedule.run.' })
  runType: RunType;

  @ApiProperty({ format: 'uuid', nullable: true })
  backupSetId: string | null;

  @ApiProperty({ description: 'Policies in the set.' })
  itemCount: number;
}

export class FleetFailedRunResponse implements FleetFailedRunView {
  @ApiProperty({ format: 'uuid' })
  runId: string;

  @ApiProperty({ enum: RunType, enumName: 'RunType' })
  type: RunType;

  @ApiProperty({ format: 'date-time' })
  finishedAt: string;

  @ApiProperty({ nullable: true, example: 'graph_unavailable' })
  errorCode: string | null;
}

export class FleetDriftResponse implements FleetDriftView {
  @ApiProperty({ enum: DRIFT_STATUSES })
  status: DriftStatus;

  @ApiProperty({ format: 'date-time' })
  checkedAt: string;

  @ApiProperty({ format: 'uuid', description: 'The drift.check run.' })
  runId: string;

  @ApiProperty({ format: 'uuid', nullable: true })
  reportId: string | null;

  @ApiProperty()
  added: number;

  @ApiProperty()
  removed: number;

  @ApiProperty()
  changed: number;

  @ApiProperty()
  unchanged: number;
}

export class FleetScheduleOutcomeResponse {
  @ApiProperty({ format: 'date-time' })
  slotAt: string;

  @ApiProperty({ example: 'succeeded', description: "skipped, or the status of the slot's run." })
  status: string;

  @ApiProperty({ format: 'uuid', nullable: true })
  runId: string | null;
}

export class FleetScheduleResponse implements FleetScheduleView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ format: 'date-time', nullable: true })
  nextRunAt: string | null;

  @ApiProperty({ type: FleetScheduleOutcomeResponse, nullable: true, description: 'The latest slot; null before the first.' })
  lastOutcome: FleetScheduleOutcomeResponse | null;
}

export class FleetSchedulesResponse {
  @ApiProperty({ description: 'Enabled backup schedules.' })
  enabled: number;

  @ApiProperty({ type: [FleetScheduleResponse] })
  items: FleetScheduleResponse[];
}

export class FleetTenantResponse {
  @ApiProperty({ format: 'uuid' })
  tenantId: string;

  @ApiProperty({ example: 'Contoso' })
  displayName: string;

  @ApiProperty({ format: 'uuid' })
  directoryId: string;

  @ApiProperty({ enum: TenantRole, enumName: 'TenantRole', description: 'The role the caller acts with in this tenant.' })
  role: TenantRole;

  @ApiProperty({ type: [String] })
  tags: string[];

  @ApiProperty({ description: 'A disabled tenant starts no runs.' })
  disabled: boolean;

  @ApiProperty({ type: FleetHealthResponse, nullable: true, description: 'From the latest access check; null: never checked.' })
  health: FleetHealthResponse | null;

  @ApiProperty({ type: FleetBackupResponse, nullable: true })
  lastSuccessfulBackup: FleetBackupResponse | null;

  @ApiProperty({ type: FleetFailedRunResponse, nullable: true })
  lastFailedRun: FleetFailedRunResponse | null;

  @ApiProperty({ description: 'Queued and running runs.' })
  activeRuns: number;

  @ApiProperty({ type: FleetDriftResponse, nullable: true, description: 'From the latest succeeded drift check; null: never checked.' })
  drift: FleetDriftResponse | null;

  @ApiProperty({ type: FleetSchedulesResponse })
  schedules: FleetSchedulesResponse;
}

export class FleetPageResponse {
  @ApiProperty({ type: [FleetTenantResponse] })
  items: FleetTenantResponse[];

  @ApiProperty({ description: 'Tenants matching the filters, over all pages.' })
  total: number;

  @ApiProperty({ nullable: true, description: 'Opaque cursor for the next page, or null on the last page.' })
  nextCursor: string | null;
}

export class FleetBatchTenantResponse {
  @ApiProperty({ format: 'uuid' })
  tenantId: string;

  @ApiProperty({ enum: FLEET_BATCH_OUTCOMES, description: 'started: a new run; reused: the active run doing the same work; rejected: no run.' })
  outcome: FleetBatchOutcome;

  @ApiProperty({ format: 'uuid', nullable: true })
  runId: string | null;

  @ApiProperty({ nullable: true, example: 'insufficient_role', description: 'Why the tenant was rejected (an error code).' })
  reasonCode: string | null;

  @ApiProperty({ nullable: true })
  reason: string | null;
}

export class FleetBatchStartCounts {
  @ApiProperty()
  started: number;

  @ApiProperty()
  reused: number;

  @ApiProperty()
  rejected: number;
}

/** What every view of a batch starts with: which run type, for what, when. */
export class FleetBatchFields {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: RunType, enumName: 'RunType' })
  type: RunType;

  @ApiProperty({ type: 'object', additionalProperties: true })
  target: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: true })
  scope: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class FleetBatchCreatedResponse extends FleetBatchFields {

  @ApiProperty({ type: FleetBatchStartCounts })
  counts: FleetBatchStartCounts;

  @ApiProperty({ type: [FleetBatchTenantResponse] })
  items: FleetBatchTenantResponse[];
}

export class FleetBatchRunResponse extends FleetBatchTenantResponse {
  @ApiProperty({ example: 'Contoso' })
  displayName: string;

  @ApiProperty({ enum: RunStatus, enumName: 'RunStatus', nullable: true, description: "The run's status now; null for a rejected tenant." })
  status: RunStatus | null;

  @ApiProperty({ nullable: true, description: "The run's error code once it failed." })
  errorCode: string | null;

  @ApiProperty({ format: 'date-time', nullable: true })
  finishedAt: string | null;
}

export class FleetBatchStatusCounts {
  @ApiProperty()
  queued: number;

  @ApiProperty()
  running: number;

  @ApiProperty()
  succeeded: number;

  @ApiProperty()
  partial: number;

  @ApiProperty()
  failed: number;

  @ApiProperty()
  canceled: number;

  @ApiProperty({ description: 'Tenants where no run was started.' })
  rejected: number;
}

export class FleetBatchCreator {
  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty()
  email: string;
}

export class FleetBatchResponse extends FleetBatchFields {

  @ApiProperty({ type: FleetBatchCreator })
  createdBy: FleetBatchCreator;

  @ApiProperty({ description: 'Tenants of the batch the caller can see (the counts and items cover only those).' })
  tenants: number;

  @ApiProperty({ type: FleetBatchStatusCounts, description: 'Runs per status now, plus rejected tenants.' })
  counts: FleetBatchStatusCounts;

  @ApiProperty({ description: 'True once no run of the batch is queued or running.' })
  done: boolean;

  @ApiProperty({ type: [FleetBatchRunResponse], description: 'A page of the tenants, by tenant id.' })
  items: FleetBatchRunResponse[];

  @ApiPropertyOptional({ nullable: true, description: 'Opaque cursor for the next page, or null on the last page.' })
  nextCursor: string | null;
}

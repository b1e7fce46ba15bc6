// Request/reply payloads between the gateway and run-service (subjects in RunRpc).
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsEnum, IsISO8601, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';
import { RunStatus } from '../runs/run-status.js';
import { RunType } from '../runs/run-type.js';
import { TenantRole } from '../tenant-role.js';
import type { RunItemView, RunView } from './run-view.js';
import { RestoreConfirmation } from './restore-confirmation.message.js';

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

export class RunInitiatorMessage {
  @IsUUID('all')
  userId: string;

  @IsEmail()
  email: string;
}

export class StartRunRequest {
  @IsUUID('all')
  tenantId: string;

  /** The customer's Entra directory id: workers need it to get a Graph token. */
  @IsString()
  @Length(1, 100)
  tenantDirectoryId: string;

  /** The tenant's display name (the gateway owns it): what a typed-back confirmation must match. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  tenantDisplayName?: string;

  @IsEnum(RunType)
  type: RunType;

  @IsObject()
  target: Record<string, unknown>;

  @IsObject()
  scope: Record<string, unknown>;

  @ValidateNested()
  @Type(() => RunInitiatorMessage)
  initiator: RunInitiatorMessage;

  /** Runs that write to Graph only (RUN_TYPES_REGISTRY); never part of the de-duplication key. */
  @IsOptional()
  @ValidateNested()
  @Type(() => RestoreConfirmation)
  confirmation?: RestoreConfirmation;

  /**
   * The gateway's anchor for a start sent with an Idempotency-Key (its claim's id): the run this key
   * started or reused is recorded under (tenant, key), and the same key answers that run again, even
   * after it ended. Never part of the de-duplication key.
   */
  @IsOptional()
  @IsUUID('all')
  idempotencyKey?: string;
}

export interface StartRunReply {
  run: RunView;
  /** True when an active run with the same de-duplication key was returned instead of a new one. */
  reused: boolean;
}

export class GetRunRequest {
  @IsUUID('all')
  tenantId: string;

  @IsUUID('all')
  runId: string;

  /** A worker checking a command: the run is found only when it was queued for this directory too. */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  tenantDirectoryId?: string;
}

export class PageRequest {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}

export class ListRunsRequest extends PageRequest {
  @IsUUID('all')
  tenantId: string;

  @IsOptional()
  @IsIn(Object.values(RunStatus))
  status?: RunStatus;

  @IsOptional()
  @IsEnum(RunType)
  type?: RunType;

  /** Runs started by this user (e-mail address, compared case-insensitively). */
  @IsOptional()
  @IsEmail()
  initiator?: string;

  /** Runs queued at or after this instant. */
  @IsOptional()
  @IsISO8601({ strict: true })
  queuedFrom?: string;

  /** Runs queued before this instant. */
  @IsOptional()
  @IsISO8601({ strict: true })
  queuedTo?: string;
}

export class ListRunItemsRequest extends PageRequest {
  @IsUUID('all')
  tenantId: string;

  @IsUUID('all')
  runId: string;
}

export class CancelRunRequest {
  @IsUUID('all')
  tenantId: string;

  @IsUUID('all')
  runId: string;

  /** Who asks: the run's initiator may cancel it; so may any owner of the tenant. */
  @ValidateNested()
  @Type(() => RunInitiatorMessage)
  requestedBy: RunInitiatorMessage;

  @IsEnum(TenantRole)
  requesterRole: TenantRole;
}

/** The most tenants one latest-summaries request may name (a page of a tenant list). */
export const MAX_SUMMARY_TENANTS = 500;

/**
 * For each tenant, the latest ended run of `type` that recorded a summary (e.g. the health of the
 * last `tenant.verify_access`): one query for a page of tenants.
 */
export class LatestRunSummariesRequest {
  @IsEnum(RunType)
  type: RunType;

  @ArrayMaxSize(MAX_SUMMARY_TENANTS)
  @IsUUID('all', { each: true })
  tenantIds: string[];
}

export interface LatestRunSummary {
  tenantId: string;
  runId: string;
  status: RunStatus;
  summary: Record<string, unknown>;
  finishedAt: string;
}

/** Tenants without such a run are left out. */
export interface LatestRunSummariesReply {
  items: LatestRunSummary[];
}

/** The most tenants one active-runs request covers (an administrator's whole directory). */
export const MAX_ACTIVE_RUNS_TENANTS = 10_000;
/** The most runs one active-runs reply holds (a live view's snapshot). */
export const MAX_ACTIVE_RUNS = 1_000;

/** The queued and running runs of many tenants, newest first: a live view's snapshot, one query. */
export class ActiveRunsRequest {
  @IsArray()
  @ArrayMaxSize(MAX_ACTIVE_RUNS_TENANTS)
  @IsUUID('all', { each: true })
  tenantIds: string[];

  @IsInt()
  @Min(1)
  @Max(MAX_ACTIVE_RUNS)
  limit: number;
}

export interface ActiveRunsReply {
  runs: RunView[];
  /** More runs were active than `limit`: the oldest were left out. */
  truncated: boolean;
}

export type GetRunReply = RunView;
export type { RunItemView, RunView };

// Events workers publish on the worker-event stream; run-service applies them to the run tables.
// Each may arrive twice or out of order: run-service applies them idempotently.
import { Type } from 'class-transformer';
import {
  IsEnum,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { SafeErrorCode } from '../safe-error.js';
import { RunItemStatus } from '../runs/run-status.js';

export class SafeErrorMessage {
  @IsEnum(SafeErrorCode)
  code: SafeErrorCode;

  @IsString()
  @Length(0, 300)
  message: string;

  @IsOptional()
  @IsObject()
  context?: Record<string, string | number>;
}

export class WorkerRunStartedEvent {
  @IsUUID('all')
  runId: string;

  @IsUUID('all')
  tenantId: string;

  /** How many items the worker plans to process, when known (progress = finished / total). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  plannedItems?: number;

  @IsISO8601()
  occurredAt: string;
}

export class WorkerItemFinishedEvent {
  @IsUUID('all')
  runId: string;

  @IsUUID('all')
  tenantId: string;

  /** Deterministic key of the unit of work (e.g. "policy:<id>", "backup-item:<id>"). */
  @IsString()
  @Length(1, 300)
  itemKey: string;

  @IsEnum(RunItemStatus)
  status: RunItemStatus;

  @IsOptional()
  @IsString()
  @Length(0, 300)
  label?: string;

  /** What happened, in the run type's words: "created", "updated", "unchanged", "no_change"… */
  @IsOptional()
  @IsString()
  @Length(1, 50)
  outcome?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => SafeErrorMessage)
  error?: SafeErrorMessage;

  /** Small, secret-free details (ids, hashes); large payloads belong to the owning service. */
  @IsOptional()
  @IsObject()
  result?: Record<string, unknown>;

  @IsISO8601()
  occurredAt: string;
}

export enum WorkerRunOutcome {
  Completed = 'completed',
  Failed = 'failed',
  Canceled = 'canceled',
}

export class WorkerRunFinishedEvent {
  @IsUUID('all')
  runId: string;

  @IsUUID('all')
  tenantId: string;

  @IsIn(Object.values(WorkerRunOutcome))
  outcome: WorkerRunOutcome;

  /** Number of item events the worker published: the run ends only once all of them are applied. */
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  itemCount: number;

  /**
   * The planned count the worker published in run-started, repeated: a run-finished applied before its
   * run-started (events of one run may be applied in any order) still ends with the planned total.
   */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  plannedItems?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => SafeErrorMessage)
  error?: SafeErrorMessage;

  @IsOptional()
  @IsObject()
  summary?: Record<string, unknown>;

  @IsISO8601()
  occurredAt: string;
}

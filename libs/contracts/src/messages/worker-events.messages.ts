// Events workers publish on the worker-event stream; run-service applies them to the run tables.
// Each may arrive twice or out of order: run-service applies them idempotently.
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
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
  ValidateIf,
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

/** One finished item: the fields of a single `item-finished` event, and an entry of a batched one (`items`). */
export class WorkerItemReport {
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

  /** When the item finished: of several reports of one item, the latest wins. */
  @IsISO8601()
  occurredAt: string;
}

/** Items per batched `item-finished` event (`items`). */
export const MAX_ITEMS_PER_EVENT = 100;

/**
 * One finished item (the `WorkerItemReport` fields), or a batch of them (`items`, from v2026-12-02 workers:
 * the items a worker finished while its previous item event of the run was being published). A batch is
 * applied exactly as its items sent one event each, in order; the single form is still accepted.
 */
export class WorkerItemFinishedEvent {
  @IsUUID('all')
  runId: string;

  @IsUUID('all')
  tenantId: string;

  @ValidateIf(isSingleItemEvent)
  @IsString()
  @Length(1, 300)
  itemKey?: string;

  @ValidateIf(isSingleItemEvent)
  @IsEnum(RunItemStatus)
  status?: RunItemStatus;

  @ValidateIf(isSingleItemEvent)
  @IsOptional()
  @IsString()
  @Length(0, 300)
  label?: string;

  @ValidateIf(isSingleItemEvent)
  @IsOptional()
  @IsString()
  @Length(1, 50)
  outcome?: string;

  @ValidateIf(isSingleItemEvent)
  @IsOptional()
  @ValidateNested()
  @Type(() => SafeErrorMessage)
  error?: SafeErrorMessage;

  @ValidateIf(isSingleItemEvent)
  @IsOptional()
  @IsObject()
  result?: Record<string, unknown>;

  /** A batch: the item fields above are then absent (ignored). */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ITEMS_PER_EVENT)
  @ValidateNested({ each: true })
  @Type(() => WorkerItemReport)
  items?: WorkerItemReport[];

  @IsISO8601()
  occurredAt: string;
}

function isSingleItemEvent(event: WorkerItemFinishedEvent): boolean {
  return event.items === undefined;
}

/** The items an item event reports, single or batched, in order. */
export function itemReportsOf(event: WorkerItemFinishedEvent): WorkerItemReport[] {
  if (event.items !== undefined) return event.items;
  const { itemKey, status, label, outcome, error, result, occurredAt } = event;
  return [{ itemKey: itemKey as string, status: status as RunItemStatus, label, outcome, error, result, occurredAt }];
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

// Published by run-service on every run transition and on progress, to the run-status stream
// (limits retention, subject `<ns>.evt.run.status.v1.<tenantId>`), for any number of readers: the
// notifier, the gateway's live progress streams. Each carries the whole picture of the run, so a
// reader never needs an earlier event to make sense of a later one.
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsIn, IsISO8601, IsInt, IsObject, IsOptional, IsString, IsUUID, Min, ValidateNested } from 'class-validator';
import { RunStatus } from '../runs/run-status.js';
import { RunType } from '../runs/run-type.js';
import { RunInitiatorMessage } from './run-rpc.messages.js';
import { SafeErrorMessage } from './worker-events.messages.js';

export enum RunStatusEventKind {
  /** The run entered `status` (queued, running, or a terminal state). */
  Transition = 'transition',
  /** Counts changed while running. */
  Progress = 'progress',
}

export class RunCountsMessage {
  @IsInt()
  @Min(0)
  total: number;

  @IsInt()
  @Min(0)
  succeeded: number;

  @IsInt()
  @Min(0)
  failed: number;

  @IsInt()
  @Min(0)
  skipped: number;
}

export class RunStatusEvent {
  /** Unique per (run, transition) or (run, progress step): readers de-duplicate on it. */
  @IsString()
  eventId: string;

  @IsIn(Object.values(RunStatusEventKind))
  kind: RunStatusEventKind;

  @IsUUID('all')
  runId: string;

  @IsUUID('all')
  tenantId: string;

  @IsEnum(RunType)
  type: RunType;

  @IsEnum(RunStatus)
  status: RunStatus;

  /** A cancel was asked for while the run was running; the worker stops between items. */
  @IsBoolean()
  cancelRequested: boolean;

  @ValidateNested()
  @Type(() => RunCountsMessage)
  counts: RunCountsMessage;

  @ValidateNested()
  @Type(() => RunInitiatorMessage)
  initiator: RunInitiatorMessage;

  @IsOptional()
  @ValidateNested()
  @Type(() => SafeErrorMessage)
  error?: SafeErrorMessage;

  /** On terminal transitions: the summary the worker reported (its shape per run type, e.g. `DriftCheckSummary`). */
  @IsOptional()
  @IsObject()
  summary?: Record<string, unknown>;

  @IsISO8601()
  occurredAt: string;
}

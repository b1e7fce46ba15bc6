// Drift reports: a drift.check run compares the live tenant with a baseline backup set and stores what
// it found (restore-worker, request/reply, queue group "restore-worker"); the gateway reads them.
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import type { FieldDifference } from './restore.messages.js';
import { PageRequest } from './run-rpc.messages.js';

/**
 * Per baseline policy: `unchanged`, `changed` (field-level differences), `removed` (not live any more);
 * `added`: a live object of the baseline's policy types that the baseline does not hold.
 */
export const DRIFT_ITEM_STATUSES = ['added', 'removed', 'changed', 'unchanged'] as const;
export type DriftItemStatus = (typeof DRIFT_ITEM_STATUSES)[number];

/** `drifted` when anything was added, removed or changed. */
export type DriftStatus = 'none' | 'drifted';

export type DriftCounts = Record<DriftItemStatus, number>;

/** The summary of a finished drift.check run (run-service stores it; the notifier and the fleet read it). */
export interface DriftCheckSummary extends DriftCounts {
  reportId: string;
  baselineBackupSetId: string;
  driftStatus: DriftStatus;
}

export class ListDriftReportsRequest extends PageRequest {
  @IsUUID('all')
  tenantId: string;
}

export class GetDriftReportRequest extends PageRequest {
  @IsUUID('all')
  tenantId: string;

  @IsUUID('all')
  reportId: string;

  /** Only the items with this status. */
  @IsOptional()
  @IsIn(DRIFT_ITEM_STATUSES)
  status?: DriftItemStatus;
}

export interface DriftReportView {
  id: string;
  tenantId: string;
  /** The drift.check run that made it. */
  runId: string;
  baselineBackupSetId: string;
  /** `running` until the run has compared every policy. */
  state: 'running' | 'complete';
  /** Null while running. */
  driftStatus: DriftStatus | null;
  counts: DriftCounts;
  createdAt: string;
  finishedAt: string | null;
}

export interface DriftItemView {
  id: string;
  policyType: string;
  displayName: string;
  /** The live object (null when removed). */
  liveId: string | null;
  /** The baseline's item (null when added). */
  backupItemId: string | null;
  status: DriftItemStatus;
  /** For `changed`: live against baseline (`live` / `snapshot` sides); secret values only as markers. */
  differences: FieldDifference[];
}

export interface DriftReportPage {
  report: DriftReportView;
  items: DriftItemView[];
  nextCursor: string | null;
}

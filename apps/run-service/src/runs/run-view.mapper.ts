import type { RunItemView, RunView, SafeError } from '@policyvault/contracts';

/** Row shape of `SELECT * FROM run_service.runs` as pg returns it (snake_case). */
export interface RunRow {
  id: string;
  tenant_id: string;
  tenant_directory_id: string;
  type: RunView['type'];
  target: Record<string, unknown>;
  scope: Record<string, unknown>;
  dedupe_key: string;
  status: RunView['status'];
  planned_items: number | null;
  total_items: number;
  succeeded_items: number;
  failed_items: number;
  skipped_items: number;
  initiator_user_id: string;
  initiator_email: string;
  summary: Record<string, unknown> | null;
  error: SafeError | null;
  cancel_requested: boolean;
  queued_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface RunItemRow {
  run_id: string;
  item_key: string;
  status: RunItemView['status'];
  label: string | null;
  outcome: string | null;
  error: SafeError | null;
  result: Record<string, unknown> | null;
  finished_at: Date;
}

export function toRunView(row: RunRow): RunView {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    type: row.type,
    target: row.target,
    scope: row.scope,
    status: row.status,
    counts: {
      total: row.total_items,
      succeeded: row.succeeded_items,
      failed: row.failed_items,
      skipped: row.skipped_items,
    },
    initiator: { userId: row.initiator_user_id, email: row.initiator_email },
    summary: row.summary,
    error: row.error,
    cancelRequested: row.cancel_requested,
    queuedAt: row.queued_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

export function toRunItemView(row: RunItemRow): RunItemView {
  return {
    runId: row.run_id,
    itemKey: row.item_key,
    status: row.status,
    label: row.label,
    outcome: row.outcome,
    error: row.error,
    result: row.result,
    finishedAt: row.finished_at.toISOString(),
  };
}

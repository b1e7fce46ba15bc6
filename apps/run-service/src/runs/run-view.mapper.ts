import type { RunItemView, RunView } from '@policyvault/contracts';
import type { RunItemEntity } from './run-item.entity.js';
import type { RunEntity } from './run.entity.js';

export function toRunView(run: RunEntity): RunView {
  return {
    id: run.id,
    tenantId: run.tenantId,
    type: run.type,
    target: run.target,
    scope: run.scope,
    status: run.status,
    counts: {
      total: run.totalItems,
      succeeded: run.succeededItems,
      failed: run.failedItems,
      skipped: run.skippedItems,
    },
    initiator: { userId: run.initiatorUserId, email: run.initiatorEmail },
    summary: run.summary,
    error: run.error,
    cancelRequested: run.cancelRequested,
    queuedAt: run.queuedAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

export function toRunItemView(item: RunItemEntity): RunItemView {
  return {
    runId: item.runId,
    itemKey: item.itemKey,
    status: item.status,
    label: item.label,
    outcome: item.outcome,
    error: item.error,
    result: item.result,
    finishedAt: item.finishedAt.toISOString(),
  };
}

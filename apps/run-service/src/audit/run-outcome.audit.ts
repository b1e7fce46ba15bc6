import type { EntityManager } from 'typeorm';
import { RUN_TYPES_REGISTRY, RunType, type RunStatus } from '@policyvault/contracts';
import type { AuditService } from './audit.service.js';

export interface AuditedRun {
  id: string;
  tenant_id: string;
  type: RunType;
  status: RunStatus;
  target: Record<string, unknown>;
  scope: Record<string, unknown>;
  initiator_user_id: string;
  initiator_email: string;
}

/**
 * Runs that change a tenant or act on its behalf leave an audit event when they end: a live restore
 * (who, which tenant, which items, their outcomes) and a schedule run (its outcome and the
 * retention it applied). Which run types are audited is RUN_TYPES_REGISTRY's `audited`; what their
 * events hold is here. Items and outcomes come from the run's own items, never from a payload.
 */
export async function recordRunOutcomeAudit(
  audit: AuditService,
  manager: EntityManager,
  run: AuditedRun,
  status: RunStatus,
  summary: Record<string, unknown>,
): Promise<void> {
  if (!RUN_TYPES_REGISTRY[run.type].audited) return;
  if (run.type === RunType.RestoreExecute) {
    const items: { item_key: string; status: string; outcome: string | null; result: Record<string, unknown> | null }[] = await manager.query(
      `SELECT item_key, status, outcome, result FROM run_service.run_items WHERE run_id = $1 ORDER BY item_key`,
      [run.id],
    );
    await audit.record(manager, {
      tenantId: run.tenant_id,
      actor: run.initiator_email,
      actorUserId: run.initiator_user_id,
      action: 'restore.executed',
      runId: run.id,
      details: {
        status,
        backupSetId: run.target.backupSetId,
        scope: run.scope,
        items: items.map((item) => ({ itemKey: item.item_key, status: item.status, outcome: item.outcome, result: item.result })),
      },
    });
  } else if (run.type === RunType.BackupScheduleRun) {
    const scheduleId = String(run.target.scheduleId);
    await audit.record(manager, {
      tenantId: run.tenant_id,
      actor: 'system:scheduler',
      action: 'backup_schedule.run_finished',
      runId: run.id,
      scheduleId,
      details: { status, slot: run.target.slot, backupSetId: summary.backupSetId ?? null, skippedPolicyTypes: summary.skippedPolicyTypes ?? [] },
    });
    if (summary.retention && typeof summary.retention === 'object') {
      await audit.record(manager, {
        tenantId: run.tenant_id,
        actor: 'system:scheduler',
        action: 'backup_schedule.retention_applied',
        runId: run.id,
        scheduleId,
        details: { ...(summary.retention as Record<string, unknown>) },
      });
    }
  } else {
    throw new Error(`${run.type} is audited (RUN_TYPES_REGISTRY) but has no audit event here`);
  }
}

import type { EntityManager } from 'typeorm';
import { RUN_TYPES_REGISTRY, RunType, type RunStatus } from '@policyvault/contracts';
import { RunItemEntity } from '../runs/run-item.entity.js';
import type { RunEntity } from '../runs/run.entity.js';
import type { AuditService } from './audit.service.js';

/**
 * Runs that change a tenant or act on its behalf leave an audit event when they end: a live restore
 * (who, which tenant, which items, their outcomes) and a schedule run (its outcome and the
 * retention it applied). Which run types are audited is RUN_TYPES_REGISTRY's `audited`; what their
 * events hold is here. Items and outcomes come from the run's own items, never from a payload.
 */
export async function recordRunOutcomeAudit(
  audit: AuditService,
  manager: EntityManager,
  run: RunEntity,
  status: RunStatus,
  summary: Record<string, unknown>,
): Promise<void> {
  if (!RUN_TYPES_REGISTRY[run.type].audited) return;
  if (run.type === RunType.RestoreExecute) {
    // The run was found in its tenant and is locked by the caller: its items are that tenant's.
    const items = await manager.find(RunItemEntity, { where: { runId: run.id }, order: { itemKey: 'ASC' } });
    await audit.record(manager, {
      tenantId: run.tenantId,
      actor: run.initiatorEmail,
      actorUserId: run.initiatorUserId,
      action: 'restore.executed',
      runId: run.id,
      details: {
        status,
        backupSetId: run.target.backupSetId,
        scope: run.scope,
        items: items.map((item) => ({ itemKey: item.itemKey, status: item.status, outcome: item.outcome, result: item.result })),
      },
    });
  } else if (run.type === RunType.BackupScheduleRun) {
    const scheduleId = String(run.target.scheduleId);
    await audit.record(manager, {
      tenantId: run.tenantId,
      actor: 'system:scheduler',
      action: 'backup_schedule.run_finished',
      runId: run.id,
      scheduleId,
      details: { status, slot: run.target.slot, backupSetId: summary.backupSetId ?? null, skippedPolicyTypes: summary.skippedPolicyTypes ?? [] },
    });
    if (summary.retention && typeof summary.retention === 'object') {
      await audit.record(manager, {
        tenantId: run.tenantId,
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

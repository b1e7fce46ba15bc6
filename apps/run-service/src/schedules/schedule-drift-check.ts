import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { RunStatus, RunType, type JetStreamNames } from '@policyvault/contracts';
import { RunEntity } from '../runs/run.entity.js';
import { insertRunsWithCommands } from '../runs/start-run-writer.js';
import type { StartRunService } from '../runs/start-run.service.js';
import type { BackupScheduleEntity } from './backup-schedule.entity.js';

/**
 * A schedule's drift check, written in the caller's transaction with its command (the one start path:
 * `StartRunService.prepare` and the batched insert), or undefined when an active drift check of the
 * same baseline holds its de-duplication key. Without a baseline the worker takes the tenant's latest
 * complete backup set.
 */
export async function insertScheduleDriftCheck(
  manager: EntityManager,
  startRuns: StartRunService,
  names: JetStreamNames,
  schedule: BackupScheduleEntity,
  baselineBackupSetId?: string,
): Promise<RunEntity | undefined> {
  const prepared = startRuns.prepare({
    tenantId: schedule.tenantId,
    tenantDirectoryId: schedule.tenantDirectoryId,
    type: RunType.DriftCheck,
    target: baselineBackupSetId ? { backupSetId: baselineBackupSetId } : {},
    scope: {},
    initiator: { userId: schedule.createdByUserId, email: schedule.createdByEmail },
  });
  const [run] = await insertRunsWithCommands(manager, [prepared.pending(randomUUID())], names);
  return run;
}

/**
 * The backup set the schedule's latest earlier backup made (the baseline of a `backup_then_drift_check`
 * slot's drift check: what changed since the last backup), from run-service's own run summaries.
 */
export async function previousScheduleBackupSet(manager: EntityManager, schedule: BackupScheduleEntity, currentRunId: string): Promise<string | undefined> {
  const row = await manager
    .getRepository(RunEntity)
    .createQueryBuilder('run')
    .select(`run.summary ->> 'backupSetId'`, 'backupSetId')
    .where('run.tenantId = :tenantId AND run.type = :type AND run.id <> :currentRunId', { tenantId: schedule.tenantId, type: RunType.BackupScheduleRun, currentRunId })
    .andWhere(`run.target ->> 'scheduleId' = :scheduleId`, { scheduleId: schedule.id })
    .andWhere('run.status IN (:...ended)', { ended: [RunStatus.Succeeded, RunStatus.Partial] })
    .andWhere(`run.summary ->> 'backupSetId' IS NOT NULL`)
    .orderBy('run.finishedAt', 'DESC')
    .limit(1)
    .getRawOne<{ backupSetId: string }>();
  return row?.backupSetId;
}

import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RunStatus, RunType } from '@policyvault/contracts';
import { JETSTREAM_NAMES, type JetStreamNames } from '@policyvault/platform';
import { AuditService } from '../audit/audit.service.js';
import type { RunEntity } from '../runs/run.entity.js';
import { StartRunService } from '../runs/start-run.service.js';
import { BackupScheduleEntity } from './backup-schedule.entity.js';
import { insertScheduleDriftCheck, previousScheduleBackupSet } from './schedule-drift-check.js';

/**
 * What a schedule starts after its slot's backup ended: for `backup_then_drift_check`, the drift check
 * against the set of the schedule's previous backup. Called in the transaction that ends the backup
 * run, which happens once per run (a terminal run never changes), so one slot starts one check.
 */
@Injectable()
export class ScheduleFollowUp {
  constructor(
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
    private readonly startRuns: StartRunService,
    private readonly audit: AuditService,
  ) {}

  /** True when it wrote a run (the caller kicks the relay after the commit anyway). */
  async afterRunEnded(manager: EntityManager, run: RunEntity, status: RunStatus): Promise<boolean> {
    if (run.type !== RunType.BackupScheduleRun || (status !== RunStatus.Succeeded && status !== RunStatus.Partial)) return false;
    const scheduleId = String((run.target as { scheduleId?: unknown }).scheduleId);
    const schedule = await manager.findOneBy(BackupScheduleEntity, { id: scheduleId, tenantId: run.tenantId });
    if (!schedule || schedule.deletedAt || schedule.action !== 'backup_then_drift_check') return false;
    const baseline = await previousScheduleBackupSet(manager, schedule, run.id);
    // The schedule's first backup has nothing earlier to compare with.
    if (!baseline) return false;
    const check = await insertScheduleDriftCheck(manager, this.startRuns, this.names, schedule, baseline);
    if (!check) return false;
    await this.audit.record(manager, {
      tenantId: schedule.tenantId,
      actor: 'system:scheduler',
      scheduleId: schedule.id,
      action: 'backup_schedule.drift_check_started',
      runId: check.id,
      details: { afterRunId: run.id, baselineBackupSetId: baseline },
    });
    return true;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RunStatus, RunType, ScheduleAlertKind } from '@policyvault/contracts';
import { JETSTREAM_NAMES, type JetStreamNames } from '@policyvault/platform';
import { AuditService } from '../audit/audit.service.js';
import { enqueueScheduleAlertEvent } from '../outbox/schedule-alert-event.builder.js';
import { RunServiceConfig } from '../run-service.config.js';
import { RunEntity } from '../runs/run.entity.js';
import { StartRunService } from '../runs/start-run.service.js';
import { BackupScheduleEntity } from './backup-schedule.entity.js';
import { insertScheduleDriftCheck, previousScheduleBackupSet } from './schedule-drift-check.js';
import { ScheduleSlotEntity } from './schedule-slot.entity.js';

/** What a failing streak is made of: failed slot runs; succeeded and partial ones end it, canceled ones are left out. */
const STREAK_STATUSES = [RunStatus.Failed, RunStatus.Succeeded, RunStatus.Partial];

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
    private readonly config: RunServiceConfig,
  ) {}

  /** True when it wrote a run (the caller kicks the relay after the commit anyway). */
  async afterRunEnded(manager: EntityManager, run: RunEntity, status: RunStatus): Promise<boolean> {
    const alerted = status === RunStatus.Failed && (await this.alertWhenFailing(manager, run));
    return (await this.startFollowUp(manager, run, status)) || alerted;
  }

  /**
   * A slot run that failed: when the schedule's latest SCHEDULE_FAILING_ALERT_AFTER ended slot runs all
   * failed and the one before them did not (or there is none), the streak has just reached the threshold:
   * one `failing` alert, its id naming this run (a longer streak announces nothing more until it is broken).
   */
  private async alertWhenFailing(manager: EntityManager, run: RunEntity): Promise<boolean> {
    const slot = await manager.findOneBy(ScheduleSlotEntity, { runId: run.id });
    if (!slot) return false;
    const schedule = await manager.findOneBy(BackupScheduleEntity, { id: slot.scheduleId, tenantId: run.tenantId });
    if (!schedule || schedule.deletedAt) return false;
    const threshold = this.config.SCHEDULE_FAILING_ALERT_AFTER;
    const latest = await manager
      .getRepository(ScheduleSlotEntity)
      .createQueryBuilder('slot')
      .innerJoin(RunEntity, 'run', 'run.id = slot.run_id AND run.tenant_id = :tenantId', { tenantId: run.tenantId })
      .select('run.id', 'runId')
      .addSelect('run.status', 'status')
      .where('slot.schedule_id = :scheduleId', { scheduleId: schedule.id })
      .andWhere('run.status IN (:...statuses)', { statuses: STREAK_STATUSES })
      .orderBy('slot.slot_at', 'DESC')
      .limit(threshold + 1)
      .getRawMany<{ runId: string; status: RunStatus }>();
    if (latest[0]?.runId !== run.id) return false; // a newer slot's run ended first: the streak is counted from it
    let streak = 0;
    while (streak < latest.length && latest[streak].status === RunStatus.Failed) streak += 1;
    if (streak !== threshold) return false;
    await enqueueScheduleAlertEvent(manager, schedule, { kind: ScheduleAlertKind.Failing, runId: run.id, consecutiveFailures: streak }, this.names);
    return true;
  }

  private async startFollowUp(manager: EntityManager, run: RunEntity, status: RunStatus): Promise<boolean> {
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

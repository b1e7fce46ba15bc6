import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { RunType, ScheduleAlertKind, type DispatchSchedulesReply } from '@policyvault/contracts';
import { JETSTREAM_NAMES, LOGGER, type JetStreamNames } from '@policyvault/platform';
import { AuditService } from '../audit/audit.service.js';
import { OutboxRelay } from '../outbox/outbox-relay.service.js';
import { enqueueScheduleAlertEvent } from '../outbox/schedule-alert-event.builder.js';
import { RunServiceConfig } from '../run-service.config.js';
import { RunRepository } from '../runs/run.repository.js';
import { insertRunsWithCommands } from '../runs/start-run-writer.js';
import { StartRunService } from '../runs/start-run.service.js';
import { latestSlotAtOrBefore, nextSlotAfter } from './schedule-slot-times.js';
import { BackupScheduleEntity } from './backup-schedule.entity.js';
import { BackupScheduleRepository } from './backup-schedule.repository.js';
import { toScheduleSettings } from './schedule.mapper.js';
import { DispatcherClock } from './dispatcher-clock.js';
import { insertScheduleDriftCheck } from './schedule-drift-check.js';
import { TenantPurgeService } from '../tenants/tenant-purge.service.js';

const SCHEDULER_ACTOR = 'system:scheduler';
const PREVIOUS_RUN_ACTIVE = 'the previous run of this schedule was still queued or running';
const DRIFT_CHECK_ACTIVE = 'a drift check of this tenant against its latest backup was still queued or running';

/**
 * Every minute: each due schedule gets at most one run for its latest slot. Several replicas may
 * dispatch at once — `FOR UPDATE SKIP LOCKED` hands each schedule to one of them and the primary
 * key on (schedule, slot) makes a second dispatch of a slot impossible. No catch-up: a slot older
 * than the grace period (the dispatcher was down) is not replayed; the schedule moves to its next
 * slot. A slot whose previous run is still active is recorded as skipped, with the reason, and announced
 * (`ScheduleAlertEvent` kind `skipped`, in the same transaction). The same
 * tick purges removed tenants after their retention (TenantPurgeService).
 */
@Injectable()
export class ScheduleDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<unknown>;

  constructor(
    @InjectDataSource() private readonly database: DataSource,
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly config: RunServiceConfig,
    private readonly clock: DispatcherClock,
    private readonly startRuns: StartRunService,
    private readonly audit: AuditService,
    private readonly relay: OutboxRelay,
    private readonly schedules: BackupScheduleRepository,
    private readonly runs: RunRepository,
    private readonly purge: TenantPurgeService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.clock.manual) return;
    this.timer = setInterval(() => {
      if (this.ticking) return;
      this.ticking = this.tick(this.clock.now()).finally(() => (this.ticking = undefined));
    }, this.config.SCHEDULER_INTERVAL_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  /**
   * One tick: due schedules, then removed tenants whose retention has passed. A failure of one job is
   * logged and does not stop the other; the next tick tries again.
   */
  async tick(now: Date): Promise<DispatchSchedulesReply> {
    const reply = await this.dispatch(now).catch((error: Error) => {
      this.logger.error({ err: { message: error.message } }, 'schedule dispatch failed');
      return { dispatched: 0, skipped: 0 };
    });
    await this.purge.purgeDue(now).catch((error: Error) => this.logger.error({ err: { message: error.message } }, 'tenant purge failed'));
    return reply;
  }

  async dispatch(now: Date): Promise<DispatchSchedulesReply> {
    const reply = await this.database.transaction(async (manager) => {
      const due = await this.schedules.lockDue(manager, now, 500);
      const counts: DispatchSchedulesReply = { dispatched: 0, skipped: 0 };
      for (const schedule of due) {
        const settings = toScheduleSettings(schedule);
        const slot = latestSlotAtOrBefore(settings, now);
        if (now.getTime() - slot.getTime() <= this.config.SCHEDULER_GRACE_MS) {
          const outcome = await this.dispatchSlot(manager, schedule, slot);
          if (outcome) counts[outcome] += 1;
        } else {
          this.logger.info({ scheduleId: schedule.id, slot: slot.toISOString() }, 'slot missed while no dispatcher ran: not replayed');
        }
        await manager.update(BackupScheduleEntity, { id: schedule.id }, { nextRunAt: nextSlotAfter(settings, now) });
      }
      return counts;
    });
    // Runs' commands and events, and skipped slots' alerts.
    if (reply.dispatched > 0 || reply.skipped > 0) this.relay.kick();
    return reply;
  }

  private async dispatchSlot(manager: EntityManager, schedule: BackupScheduleEntity, slot: Date): Promise<'dispatched' | 'skipped' | undefined> {
    if (!(await this.schedules.claimSlot(manager, schedule, slot))) return undefined; // another dispatcher had it
    const base = { tenantId: schedule.tenantId, actor: SCHEDULER_ACTOR, scheduleId: schedule.id };
    const active = await this.runs.activeScheduleRun(manager, schedule.tenantId, schedule.id);
    if (active) {
      await this.schedules.updateSlot(manager, schedule, slot, { status: 'skipped', reason: PREVIOUS_RUN_ACTIVE });
      await this.audit.record(manager, {
        ...base,
        action: 'backup_schedule.slot_skipped',
        runId: active.id,
        details: { slot: slot.toISOString(), reason: PREVIOUS_RUN_ACTIVE },
      });
      await enqueueScheduleAlertEvent(manager, schedule, { kind: ScheduleAlertKind.Skipped, slotAt: slot, reason: PREVIOUS_RUN_ACTIVE }, this.names);
      return 'skipped';
    }
    if (schedule.action === 'drift_check') return this.dispatchDriftCheck(manager, schedule, slot);
    const prepared = this.startRuns.prepare({
      tenantId: schedule.tenantId,
      tenantDirectoryId: schedule.tenantDirectoryId,
      type: RunType.BackupScheduleRun,
      target: { scheduleId: schedule.id, slot: slot.toISOString() },
      scope: {
        scheduleName: schedule.name,
        policyTypes: schedule.policyTypes,
        includeFoundations: schedule.includeFoundations,
        keepLast: schedule.keepLast,
      },
      initiator: { userId: schedule.createdByUserId, email: schedule.createdByEmail },
    });
    const [run] = await insertRunsWithCommands(manager, [prepared.pending(randomUUID())], this.names);
    if (!run) return undefined; // an active run with the same key: nothing more to do for this slot
    await this.schedules.updateSlot(manager, schedule, slot, { runId: run.id });
    await this.audit.record(manager, {
      ...base,
      action: 'backup_schedule.dispatched',
      runId: run.id,
      details: { slot: slot.toISOString(), policyTypes: schedule.policyTypes, keepLast: schedule.keepLast, action: schedule.action },
    });
    return 'dispatched';
  }

  /** A `drift_check` slot: a drift check against the tenant's latest complete backup set instead of a backup. */
  private async dispatchDriftCheck(manager: EntityManager, schedule: BackupScheduleEntity, slot: Date): Promise<'dispatched' | 'skipped'> {
    const base = { tenantId: schedule.tenantId, actor: SCHEDULER_ACTOR, scheduleId: schedule.id };
    const run = await insertScheduleDriftCheck(manager, this.startRuns, this.names, schedule);
    if (!run) {
      await this.schedules.updateSlot(manager, schedule, slot, { status: 'skipped', reason: DRIFT_CHECK_ACTIVE });
      await this.audit.record(manager, { ...base, action: 'backup_schedule.slot_skipped', details: { slot: slot.toISOString(), reason: DRIFT_CHECK_ACTIVE } });
      await enqueueScheduleAlertEvent(manager, schedule, { kind: ScheduleAlertKind.Skipped, slotAt: slot, reason: DRIFT_CHECK_ACTIVE }, this.names);
      return 'skipped';
    }
    await this.schedules.updateSlot(manager, schedule, slot, { runId: run.id });
    await this.audit.record(manager, { ...base, action: 'backup_schedule.dispatched', runId: run.id, details: { slot: slot.toISOString(), action: schedule.action } });
    return 'dispatched';
  }
}

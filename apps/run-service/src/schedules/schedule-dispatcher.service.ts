import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { RunType, type DispatchSchedulesReply } from '@policyvault/contracts';
import { JETSTREAM_NAMES, LOGGER, type JetStreamNames } from '@policyvault/platform';
import { AuditService } from '../audit/audit.service.js';
import { OutboxRelay } from '../outbox/outbox-relay.service.js';
import { RunServiceConfig } from '../run-service.config.js';
import { insertRunsWithCommands } from '../runs/start-run-writer.js';
import { StartRunService } from '../runs/start-run.service.js';
import { latestSlotAtOrBefore, nextSlotAfter } from './schedule-clock.js';
import { toScheduleSettings, type ScheduleRow } from './schedule.mapper.js';
import { SchedulerClock } from './scheduler-clock.js';

const SCHEDULER_ACTOR = 'system:scheduler';
const PREVIOUS_RUN_ACTIVE = 'the previous run of this schedule was still queued or running';

/**
 * Every minute: each due schedule gets at most one run for its latest slot. Several replicas may
 * dispatch at once — `FOR UPDATE SKIP LOCKED` hands each schedule to one of them and the primary
 * key on (schedule, slot) makes a second dispatch of a slot impossible. No catch-up: a slot older
 * than the grace period (the dispatcher was down) is not replayed; the schedule moves to its next
 * slot. A slot whose previous run is still active is recorded as skipped, with the reason.
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
    private readonly clock: SchedulerClock,
    private readonly startRuns: StartRunService,
    private readonly audit: AuditService,
    private readonly relay: OutboxRelay,
  ) {}

  onApplicationBootstrap(): void {
    if (this.clock.manual) return;
    this.timer = setInterval(() => {
      if (this.ticking) return;
      this.ticking = this.dispatch(this.clock.now())
        .catch((error: Error) => this.logger.error({ err: { message: error.message } }, 'schedule dispatch failed'))
        .finally(() => (this.ticking = undefined));
    }, this.config.SCHEDULER_INTERVAL_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  async dispatch(now: Date): Promise<DispatchSchedulesReply> {
    const reply = await this.database.transaction(async (manager) => {
      const due: ScheduleRow[] = await manager.query(
        `SELECT * FROM run_service.backup_schedules
         WHERE enabled AND deleted_at IS NULL AND next_run_at <= $1
         ORDER BY next_run_at LIMIT 500 FOR UPDATE SKIP LOCKED`,
        [now],
      );
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
        await manager.query(`UPDATE run_service.backup_schedules SET next_run_at = $2 WHERE id = $1`, [
          schedule.id,
          nextSlotAfter(settings, now),
        ]);
      }
      return counts;
    });
    if (reply.dispatched > 0) this.relay.kick();
    return reply;
  }

  private async dispatchSlot(manager: EntityManager, schedule: ScheduleRow, slot: Date): Promise<'dispatched' | 'skipped' | undefined> {
    const claimed: unknown[] = await manager.query(
      `INSERT INTO run_service.schedule_slots (schedule_id, slot_at, status) VALUES ($1, $2, 'dispatched')
       ON CONFLICT DO NOTHING RETURNING slot_at`,
      [schedule.id, slot],
    );
    if (claimed.length === 0) return undefined; // another dispatcher had it
    const base = { tenantId: schedule.tenant_id, actor: SCHEDULER_ACTOR, scheduleId: schedule.id };
    const active: { id: string }[] = await manager.query(
      `SELECT id FROM run_service.runs
       WHERE tenant_id = $1 AND type = $2 AND target ->> 'scheduleId' = $3 AND status IN ('queued', 'running') LIMIT 1`,
      [schedule.tenant_id, RunType.BackupScheduleRun, schedule.id],
    );
    if (active.length > 0) {
      await manager.query(`UPDATE run_service.schedule_slots SET status = 'skipped', reason = $3 WHERE schedule_id = $1 AND slot_at = $2`, [
        schedule.id,
        slot,
        PREVIOUS_RUN_ACTIVE,
      ]);
      await this.audit.record(manager, {
        ...base,
        action: 'backup_schedule.slot_skipped',
        runId: active[0].id,
        details: { slot: slot.toISOString(), reason: PREVIOUS_RUN_ACTIVE },
      });
      return 'skipped';
    }
    const prepared = this.startRuns.prepare({
      tenantId: schedule.tenant_id,
      tenantDirectoryId: schedule.tenant_directory_id,
      type: RunType.BackupScheduleRun,
      target: { scheduleId: schedule.id, slot: slot.toISOString() },
      scope: {
        scheduleName: schedule.name,
        policyTypes: schedule.policy_types,
        includeFoundations: schedule.include_foundations,
        keepLast: schedule.keep_last,
      },
      initiator: { userId: schedule.created_by_user_id, email: schedule.created_by_email },
    });
    const [run] = await insertRunsWithCommands(manager, [prepared.pending(randomUUID())], this.names.runStatusSubject(''));
    if (!run) return undefined; // an active run with the same key: nothing more to do for this slot
    await manager.query(`UPDATE run_service.schedule_slots SET run_id = $3 WHERE schedule_id = $1 AND slot_at = $2`, [schedule.id, slot, run.id]);
    await this.audit.record(manager, {
      ...base,
      action: 'backup_schedule.dispatched',
      runId: run.id,
      details: { slot: slot.toISOString(), policyTypes: schedule.policy_types, keepLast: schedule.keep_last },
    });
    return 'dispatched';
  }
}

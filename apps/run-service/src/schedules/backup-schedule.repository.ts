import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { ScheduleRunView } from '@policyvault/contracts';
import { owningTenant } from '@policyvault/platform';
import { RunEntity } from '../runs/run.entity.js';
import { exactInstant, type KeysetPage } from '../database/query-helpers.js';
import { BackupScheduleEntity } from './backup-schedule.entity.js';
import { ScheduleSlotEntity } from './schedule-slot.entity.js';

/** A slot with what the API shows of its run. */
interface ScheduleSlotWithRun {
  slot: ScheduleSlotEntity;
  runStatus: ScheduleRunView['runStatus'];
  backupSetId: string | null;
}

/**
 * Backup schedules and their slots. Reads for the API take the tenant id by type; the dispatcher's
 * `lockDue` is the one query across tenants (it serves every tenant's schedules by design); `tenantOf` reads
 * only which tenant holds one id.
 */
@Injectable()
export class BackupScheduleRepository {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  /** The tenant's schedule (deleted ones only with `includeDeleted`), locked when `forUpdate`. */
  find(
    manager: EntityManager,
    tenantId: string,
    scheduleId: string,
    { forUpdate = false, includeDeleted = false } = {},
  ): Promise<BackupScheduleEntity | null> {
    const query = manager
      .getRepository(BackupScheduleEntity)
      .createQueryBuilder('schedule')
      .where('schedule.id = :scheduleId AND schedule.tenantId = :tenantId', { scheduleId, tenantId });
    if (!includeDeleted) query.andWhere('schedule.deletedAt IS NULL');
    if (forUpdate) query.setLock('pessimistic_write');
    return query.getOne();
  }

  /** Which tenant holds the schedule (deleted ones too), after a tenant's query missed it (see `owningTenant`). */
  tenantOf(manager: EntityManager, scheduleId: string): Promise<string | null> {
    return owningTenant(manager, BackupScheduleEntity, { id: scheduleId });
  }

  /** Newest first; keyset pagination on (created_at, id). */
  async page(tenantId: string, after: string[] | undefined, limit: number): Promise<KeysetPage<BackupScheduleEntity>> {
    const query = this.database
      .getRepository(BackupScheduleEntity)
      .createQueryBuilder('schedule')
      .addSelect(exactInstant('schedule.created_at'), 'sort_instant')
      .where('schedule.tenantId = :tenantId AND schedule.deletedAt IS NULL', { tenantId });
    if (after) {
      query.andWhere('(schedule.createdAt, schedule.id) < (CAST(:afterInstant AS timestamptz), CAST(:afterId AS uuid))', {
        afterInstant: after[0],
        afterId: after[1],
      });
    }
    const { entities, raw } = await query
      .orderBy('schedule.createdAt', 'DESC')
      .addOrderBy('schedule.id', 'DESC')
      .limit(limit)
      .getRawAndEntities<{ sort_instant: string }>();
    return { rows: entities, sortInstants: raw.map((row) => row.sort_instant) };
  }

  /** The slots of a schedule already found in its tenant, newest first, before `afterInstant`. */
  async slots(schedule: BackupScheduleEntity, afterInstant: string | null, limit: number): Promise<KeysetPage<ScheduleSlotWithRun>> {
    const query = this.database
      .getRepository(ScheduleSlotEntity)
      .createQueryBuilder('slot')
      .leftJoin(RunEntity, 'run', 'run.id = slot.runId')
      .addSelect('run.status', 'run_status')
      .addSelect(`run.summary ->> 'backupSetId'`, 'backup_set_id')
      .addSelect(exactInstant('slot.slot_at'), 'sort_instant')
      .where('slot.scheduleId = :scheduleId', { scheduleId: schedule.id });
    if (afterInstant !== null) query.andWhere('slot.slotAt < CAST(:afterInstant AS timestamptz)', { afterInstant });
    const { entities, raw } = await query
      .orderBy('slot.slotAt', 'DESC')
      .limit(limit)
      .getRawAndEntities<{ run_status: ScheduleRunView['runStatus']; backup_set_id: string | null; sort_instant: string }>();
    return {
      rows: entities.map((slot, index) => ({ slot, runStatus: raw[index].run_status, backupSetId: raw[index].backup_set_id })),
      sortInstants: raw.map((row) => row.sort_instant),
    };
  }

  /**
   * Pauses the tenant's schedules that are not paused or deleted yet and returns them (the one
   * write across a tenant's schedules; the dispatcher skips paused ones from then on).
   */
  async pauseTenant(manager: EntityManager, tenantId: string): Promise<Pick<BackupScheduleEntity, 'id' | 'name'>[]> {
    const result = await manager
      .createQueryBuilder()
      .update(BackupScheduleEntity)
      .set({ pausedAt: () => 'clock_timestamp()', updatedAt: () => 'clock_timestamp()' })
      .where('tenant_id = :tenantId AND paused_at IS NULL AND deleted_at IS NULL', { tenantId })
      .returning(['id', 'name'])
      .updateEntity(false)
      .execute();
    return result.raw as Pick<BackupScheduleEntity, 'id' | 'name'>[];
  }

  /** Due schedules of every tenant, each locked for this dispatcher; one locked elsewhere is skipped. Paused ones never are due. */
  lockDue(manager: EntityManager, now: Date, limit: number): Promise<BackupScheduleEntity[]> {
    return manager
      .getRepository(BackupScheduleEntity)
      .createQueryBuilder('schedule')
      .where('schedule.enabled AND schedule.deletedAt IS NULL AND schedule.pausedAt IS NULL AND schedule.nextRunAt <= :now', { now })
      .orderBy('schedule.nextRunAt')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  /** Claims a slot for this dispatcher: false when another dispatcher has it already. */
  async claimSlot(manager: EntityManager, schedule: BackupScheduleEntity, slotAt: Date): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(ScheduleSlotEntity)
      .values({ scheduleId: schedule.id, slotAt, status: 'dispatched' })
      .orIgnore()
      .returning('slot_at')
      .updateEntity(false)
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  async updateSlot(
    manager: EntityManager,
    schedule: BackupScheduleEntity,
    slotAt: Date,
    changes: Partial<Pick<ScheduleSlotEntity, 'status' | 'reason' | 'runId'>>,
  ): Promise<void> {
    await manager.update(ScheduleSlotEntity, { scheduleId: schedule.id, slotAt }, changes);
  }
}

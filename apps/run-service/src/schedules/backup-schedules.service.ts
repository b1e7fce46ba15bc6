import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import {
  DEFAULT_PAGE_SIZE,
  type BackupScheduleRef,
  type BackupSchedulePreview,
  type BackupScheduleView,
  type CreateBackupScheduleRequest,
  type DeleteBackupScheduleRequest,
  type ListBackupSchedulesRequest,
  type ListScheduleRunsRequest,
  type Page,
  type PreviewBackupScheduleRequest,
  type RunInitiatorMessage,
  type ScheduleRunView,
  type UpdateBackupScheduleRequest,
} from '@policyvault/contracts';
import { RpcException, decodeCursor, encodeCursor } from '@policyvault/platform';
import { AuditService } from '../audit/audit.service.js';
import { IdempotencyAnchors } from '../idempotency/idempotency-anchors.js';
import { BackupScheduleEntity } from './backup-schedule.entity.js';
import { BackupScheduleRepository } from './backup-schedule.repository.js';
import { nextSlotAfter } from './schedule-slot-times.js';
import { toScheduleSettings, toScheduleView } from './schedule.mapper.js';
import { applyScheduleFields, scheduleTimingOf, type ScheduleSettings } from './schedule-rules.js';
import { DispatcherClock } from './dispatcher-clock.js';

/** Backup schedules of a tenant: create, change, delete (owners, checked by the gateway), read. */
@Injectable()
export class BackupSchedulesService {
  constructor(
    @InjectDataSource() private readonly database: DataSource,
    private readonly schedules: BackupScheduleRepository,
    private readonly audit: AuditService,
    private readonly clock: DispatcherClock,
    private readonly anchors: IdempotencyAnchors,
  ) {}

  /** With an Idempotency-Key anchor seen before: the schedule that request made (recorded in the same transaction). */
  async create(request: CreateBackupScheduleRequest): Promise<BackupScheduleView> {
    const settings = applyScheduleFields(request.schedule);
    const id = randomUUID();
    const anchor = request.idempotencyKey;
    return this.database.transaction(async (manager) => {
      const earlier = anchor ? await this.anchors.findScheduleId(manager, request.tenantId, anchor) : null;
      if (earlier) return toScheduleView(await this.require(manager, { tenantId: request.tenantId, scheduleId: earlier }, { includeDeleted: true }));
      await manager.insert(BackupScheduleEntity, {
        id,
        tenantId: request.tenantId,
        tenantDirectoryId: request.tenantDirectoryId,
        ...settings,
        nextRunAt: this.nextRunAt(settings),
        createdByUserId: request.requestedBy.userId,
        createdByEmail: request.requestedBy.email,
      });
      if (anchor) await this.anchors.recordSchedule(manager, request.tenantId, anchor, id);
      await this.audit.record(manager, {
        tenantId: request.tenantId,
        actor: request.requestedBy.email,
        actorUserId: request.requestedBy.userId,
        action: 'backup_schedule.created',
        scheduleId: id,
        details: { ...settings },
      });
      return toScheduleView(await this.require(manager, { tenantId: request.tenantId, scheduleId: id }));
    });
  }

  async update(request: UpdateBackupScheduleRequest): Promise<BackupScheduleView> {
    return this.database.transaction(async (manager) => {
      const current = await this.require(manager, request, { forUpdate: true });
      const settings = applyScheduleFields(request.changes, toScheduleSettings(current));
      await manager.update(BackupScheduleEntity, { id: current.id }, {
        ...settings,
        nextRunAt: this.nextRunAt(settings),
        updatedAt: () => 'clock_timestamp()',
      });
      await this.audit.record(manager, {
        tenantId: request.tenantId,
        actor: request.requestedBy.email,
        actorUserId: request.requestedBy.userId,
        action: 'backup_schedule.updated',
        scheduleId: current.id,
        details: { changes: { ...request.changes } },
      });
      return toScheduleView(await this.require(manager, request));
    });
  }

  /** Soft delete: the schedule stops and disappears from lists; its slots and runs stay for history. */
  async delete(request: DeleteBackupScheduleRequest): Promise<void> {
    await this.database.transaction(async (manager) => {
      const current = await this.require(manager, request, { forUpdate: true });
      await manager.update(BackupScheduleEntity, { id: current.id }, {
        deletedAt: () => 'clock_timestamp()',
        enabled: false,
        nextRunAt: null,
      });
      await this.audit.record(manager, {
        tenantId: request.tenantId,
        actor: request.requestedBy.email,
        actorUserId: request.requestedBy.userId,
        action: 'backup_schedule.deleted',
        scheduleId: current.id,
        details: { name: current.name },
      });
    });
  }

  /**
   * The gateway removed the tenant (TenantRemovalService, in its transaction): every live schedule of
   * it is paused at once (one statement), with an audit event per schedule. The owner's `enabled`
   * setting is kept; the dispatcher skips paused ones.
   */
  async pauseTenant(manager: EntityManager, tenantId: string, requestedBy: RunInitiatorMessage): Promise<number> {
    const paused = await this.schedules.pauseTenant(manager, tenantId);
    for (const schedule of paused) {
      await this.audit.record(manager, {
        tenantId,
        actor: requestedBy.email,
        actorUserId: requestedBy.userId,
        action: 'backup_schedule.paused',
        scheduleId: schedule.id,
        details: { name: schedule.name, reason: 'tenant_disabled' },
      });
    }
    return paused.length;
  }

  async get(request: BackupScheduleRef): Promise<BackupScheduleView> {
    return toScheduleView(await this.require(this.database.manager, request));
  }

  async list({ tenantId, limit = DEFAULT_PAGE_SIZE, cursor }: ListBackupSchedulesRequest): Promise<Page<BackupScheduleView>> {
    const after = cursor ? decodeCursor(cursor, 2) : undefined;
    const { rows, sortInstants } = await this.schedules.page(tenantId, after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toScheduleView),
      nextCursor: rows.length > limit && last ? encodeCursor([sortInstants[page.length - 1], last.id]) : null,
    };
  }

  /** A schedule's slots, newest first: dispatched ones with their run's status and backup set, skipped ones with why. */
  async listRuns({ tenantId, scheduleId, limit = DEFAULT_PAGE_SIZE, cursor }: ListScheduleRunsRequest): Promise<Page<ScheduleRunView>> {
    const schedule = await this.require(this.database.manager, { tenantId, scheduleId }, { includeDeleted: true });
    const after = cursor ? decodeCursor(cursor, 1)[0] : null;
    const { rows, sortInstants } = await this.schedules.slots(schedule, after, limit + 1);
    const page = rows.slice(0, limit);
    return {
      items: page.map(({ slot, runStatus, backupSetId }) => ({
        scheduleId: slot.scheduleId,
        slot: slot.slotAt.toISOString(),
        status: slot.status === 'skipped' ? 'skipped' : (runStatus ?? 'queued'),
        reason: slot.reason,
        runId: slot.runId,
        runStatus,
        backupSetId,
        dispatchedAt: slot.dispatchedAt.toISOString(),
      })),
      nextCursor: rows.length > limit && page.length > 0 ? encodeCursor([sortInstants[page.length - 1]]) : null,
    };
  }

  /**
   * The next slots of a draft, after the dispatcher's now: the same function and clock that set a saved
   * schedule's nextRunAt, so an editor's preview and the scheduler cannot disagree.
   */
  preview({ schedule, count = 5 }: PreviewBackupScheduleRequest): BackupSchedulePreview {
    const timing = scheduleTimingOf(schedule);
    const nextRunTimes: string[] = [];
    for (let after = this.clock.now(); nextRunTimes.length < count; ) {
      after = nextSlotAfter(timing, after);
      nextRunTimes.push(after.toISOString());
    }
    return { nextRunTimes, timeZone: timing.timeZone };
  }

  private nextRunAt(settings: ScheduleSettings): Date | null {
    return settings.enabled ? nextSlotAfter(settings, this.clock.now()) : null;
  }

  private async require(
    manager: EntityManager,
    { tenantId, scheduleId }: BackupScheduleRef,
    options: { forUpdate?: boolean; includeDeleted?: boolean } = {},
  ): Promise<BackupScheduleEntity> {
    const schedule = await this.schedules.find(manager, tenantId, scheduleId, options);
    if (!schedule) throw RpcException.notFoundOrOtherTenant('backup schedule', await this.schedules.tenantOf(manager, scheduleId), tenantId);
    return schedule;
  }
}

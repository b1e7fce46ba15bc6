import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  DEFAULT_PAGE_SIZE,
  type BackupScheduleRef,
  type BackupScheduleView,
  type CreateBackupScheduleRequest,
  type DeleteBackupScheduleRequest,
  type ListBackupSchedulesRequest,
  type ListScheduleRunsRequest,
  type Page,
  type ScheduleRunView,
  type UpdateBackupScheduleRequest,
} from '@policyvault/contracts';
import { RpcException, decodeCursor, encodeCursor } from '@policyvault/platform';
import { AuditService } from '../audit/audit.service.js';
import { nextSlotAfter } from './schedule-clock.js';
import { toScheduleSettings, toScheduleView, type ScheduleRow } from './schedule.mapper.js';
import { applyScheduleFields, type ScheduleSettings } from './schedule-rules.js';
import { SchedulerClock } from './scheduler-clock.js';

interface SlotRow {
  schedule_id: string;
  slot_at: Date;
  status: 'dispatched' | 'skipped';
  reason: string | null;
  run_id: string | null;
  run_status: ScheduleRunView['runStatus'];
  backup_set_id: string | null;
  dispatched_at: Date;
  cursor_time: string;
}

/** Backup schedules of a tenant: create, change, delete (owners, checked by the gateway), read. */
@Injectable()
export class BackupSchedulesService {
  constructor(
    @InjectDataSource() private readonly database: DataSource,
    private readonly audit: AuditService,
    private readonly clock: SchedulerClock,
  ) {}

  async create(request: CreateBackupScheduleRequest): Promise<BackupScheduleView> {
    const settings = applyScheduleFields(request.schedule);
    const id = randomUUID();
    return this.database.transaction(async (manager) => {
      const [row]: ScheduleRow[] = await manager.query(
        `INSERT INTO run_service.backup_schedules
           (id, tenant_id, tenant_directory_id, name, enabled, frequency, days_of_week, time_of_day, time_zone,
            policy_types, keep_last, include_foundations, next_run_at, created_by_user_id, created_by_email)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING *`,
        [
          id,
          request.tenantId,
          request.tenantDirectoryId,
          ...settingsColumns(settings),
          this.nextRunAt(settings),
          request.requestedBy.userId,
          request.requestedBy.email,
        ],
      );
      await this.audit.record(manager, {
        tenantId: request.tenantId,
        actor: request.requestedBy.email,
        actorUserId: request.requestedBy.userId,
        action: 'backup_schedule.created',
        scheduleId: id,
        details: { ...settings },
      });
      return toScheduleView(row);
    });
  }

  async update(request: UpdateBackupScheduleRequest): Promise<BackupScheduleView> {
    return this.database.transaction(async (manager) => {
      const current = await this.lock(manager, request);
      const settings = applyScheduleFields(request.changes, toScheduleSettings(current));
      // TypeORM answers an UPDATE … RETURNING with [rows, affected].
      const [[row]]: [ScheduleRow[], number] = await manager.query(
        `UPDATE run_service.backup_schedules SET
           name = $2, enabled = $3, frequency = $4, days_of_week = $5, time_of_day = $6, time_zone = $7,
           policy_types = $8, keep_last = $9, include_foundations = $10, next_run_at = $11, updated_at = clock_timestamp()
         WHERE id = $1 RETURNING *`,
        [current.id, ...settingsColumns(settings), this.nextRunAt(settings)],
      );
      await this.audit.record(manager, {
        tenantId: request.tenantId,
        actor: request.requestedBy.email,
        actorUserId: request.requestedBy.userId,
        action: 'backup_schedule.updated',
        scheduleId: current.id,
        details: { changes: { ...request.changes } },
      });
      return toScheduleView(row);
    });
  }

  /** Soft delete: the schedule stops and disappears from lists; its slots and runs stay for history. */
  async delete(request: DeleteBackupScheduleRequest): Promise<void> {
    await this.database.transaction(async (manager) => {
      const current = await this.lock(manager, request);
      await manager.query(
        `UPDATE run_service.backup_schedules SET deleted_at = clock_timestamp(), enabled = false, next_run_at = NULL WHERE id = $1`,
        [current.id],
      );
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

  async get(request: BackupScheduleRef): Promise<BackupScheduleView> {
    return toScheduleView(await this.lock(this.database.manager, request, false));
  }

  async list({ tenantId, limit = DEFAULT_PAGE_SIZE, cursor }: ListBackupSchedulesRequest): Promise<Page<BackupScheduleView>> {
    const after = cursor ? decodeCursor(cursor, 2) : undefined;
    const rows: (ScheduleRow & { cursor_time: string })[] = await this.database.query(
      `SELECT *, to_json(created_at) #>> '{}' AS cursor_time FROM run_service.backup_schedules
       WHERE tenant_id = $1 AND deleted_at IS NULL
         AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $4`,
      [tenantId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toScheduleView), nextCursor: rows.length > limit && last ? encodeCursor([last.cursor_time, last.id]) : null };
  }

  /** A schedule's slots, newest first: dispatched ones with their run's status and backup set, skipped ones with why. */
  async listRuns({ tenantId, scheduleId, limit = DEFAULT_PAGE_SIZE, cursor }: ListScheduleRunsRequest): Promise<Page<ScheduleRunView>> {
    await this.lock(this.database.manager, { tenantId, scheduleId }, false, true);
    const after = cursor ? decodeCursor(cursor, 1)[0] : null;
    const rows: SlotRow[] = await this.database.query(
      `SELECT s.*, r.status AS run_status, r.summary ->> 'backupSetId' AS backup_set_id, to_json(s.slot_at) #>> '{}' AS cursor_time
       FROM run_service.schedule_slots s LEFT JOIN run_service.runs r ON r.id = s.run_id
       WHERE s.schedule_id = $1 AND ($2::timestamptz IS NULL OR s.slot_at < $2::timestamptz)
       ORDER BY s.slot_at DESC LIMIT $3`,
      [scheduleId, after, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => ({
        scheduleId: row.schedule_id,
        slot: row.slot_at.toISOString(),
        status: row.status === 'skipped' ? 'skipped' : (row.run_status ?? 'queued'),
        reason: row.reason,
        runId: row.run_id,
        runStatus: row.run_status,
        backupSetId: row.backup_set_id,
        dispatchedAt: row.dispatched_at.toISOString(),
      })),
      nextCursor: rows.length > limit && last ? encodeCursor([last.cursor_time]) : null,
    };
  }

  private nextRunAt(settings: ScheduleSettings): Date | null {
    return settings.enabled ? nextSlotAfter(settings, this.clock.now()) : null;
  }

  private async lock(
    manager: { query(sql: string, parameters?: unknown[]): Promise<unknown> },
    { tenantId, scheduleId }: BackupScheduleRef,
    forUpdate = true,
    includeDeleted = false,
  ): Promise<ScheduleRow> {
    const rows = (await manager.query(
      `SELECT * FROM run_service.backup_schedules WHERE id = $1 AND tenant_id = $2 ${includeDeleted ? '' : 'AND deleted_at IS NULL'} ${forUpdate ? 'FOR UPDATE' : ''}`,
      [scheduleId, tenantId],
    )) as ScheduleRow[];
    if (rows.length === 0) throw RpcException.notFound('backup schedule');
    return rows[0];
  }
}

function settingsColumns(settings: ScheduleSettings): unknown[] {
  return [
    settings.name,
    settings.enabled,
    settings.frequency,
    settings.daysOfWeek,
    settings.timeOfDay,
    settings.timeZone,
    settings.policyTypes,
    settings.keepLast,
    settings.includeFoundations,
  ];
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_PAGE_SIZE, type AuditEventView, type ListAuditEventsRequest, type Page } from '@policyvault/contracts';
import { decodeCursor, encodeCursor } from '@policyvault/platform';

export interface AuditEntry {
  tenantId: string;
  actor: string;
  actorUserId?: string | null;
  action: string;
  runId?: string | null;
  scheduleId?: string | null;
  details?: Record<string, unknown>;
}

interface AuditRow {
  id: string;
  tenant_id: string;
  actor: string;
  actor_user_id: string | null;
  action: string;
  run_id: string | null;
  schedule_id: string | null;
  details: Record<string, unknown>;
  occurred_at: Date;
  cursor_time: string;
}

/** Writes audit events inside the caller's transaction, and reads them for the API. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await manager.query(
      `INSERT INTO run_service.audit_events (tenant_id, actor, actor_user_id, action, run_id, schedule_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [entry.tenantId, entry.actor, entry.actorUserId ?? null, entry.action, entry.runId ?? null, entry.scheduleId ?? null, entry.details ?? {}],
    );
  }

  async list({ tenantId, runId, scheduleId, limit = DEFAULT_PAGE_SIZE, cursor }: ListAuditEventsRequest): Promise<Page<AuditEventView>> {
    const after = cursor ? decodeCursor(cursor, 2) : undefined;
    const rows: AuditRow[] = await this.database.query(
      `SELECT *, to_json(occurred_at) #>> '{}' AS cursor_time FROM run_service.audit_events
       WHERE tenant_id = $1
         AND ($2::uuid IS NULL OR run_id = $2)
         AND ($3::uuid IS NULL OR schedule_id = $3)
         AND ($4::timestamptz IS NULL OR (occurred_at, id) < ($4::timestamptz, $5::bigint))
       ORDER BY occurred_at DESC, id DESC
       LIMIT $6`,
      [tenantId, runId ?? null, scheduleId ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => ({
        id: row.id,
        tenantId: row.tenant_id,
        actor: row.actor,
        actorUserId: row.actor_user_id,
        action: row.action,
        runId: row.run_id,
        scheduleId: row.schedule_id,
        details: row.details,
        occurredAt: row.occurred_at.toISOString(),
      })),
      nextCursor: rows.length > limit && last ? encodeCursor([last.cursor_time, last.id]) : null,
    };
  }
}

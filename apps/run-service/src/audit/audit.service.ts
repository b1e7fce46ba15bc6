import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_PAGE_SIZE, type AuditEventView, type ListAuditEventsRequest, type Page } from '@policyvault/contracts';
import { decodeCursor, encodeCursor } from '@policyvault/platform';
import { exactInstant, jsonb } from '../database/query-helpers.js';
import { AuditEventEntity } from './audit-event.entity.js';

export interface AuditEntry {
  tenantId: string;
  actor: string;
  actorUserId?: string | null;
  action: string;
  runId?: string | null;
  scheduleId?: string | null;
  details?: Record<string, unknown>;
}

/** Writes audit events inside the caller's transaction, and reads them for the API. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(AuditEventEntity)
      .values(jsonb<AuditEventEntity>({
        tenantId: entry.tenantId,
        actor: entry.actor,
        actorUserId: entry.actorUserId ?? null,
        action: entry.action,
        runId: entry.runId ?? null,
        scheduleId: entry.scheduleId ?? null,
        details: entry.details ?? {},
      }))
      .updateEntity(false)
      .execute();
  }

  async list({ tenantId, runId, scheduleId, limit = DEFAULT_PAGE_SIZE, cursor }: ListAuditEventsRequest): Promise<Page<AuditEventView>> {
    const after = cursor ? decodeCursor(cursor, 2) : undefined;
    // Newest first; keyset pagination on (occurred_at, id).
    const query = this.database
      .getRepository(AuditEventEntity)
      .createQueryBuilder('event')
      .addSelect(exactInstant('event.occurred_at'), 'sort_instant')
      .where('event.tenantId = :tenantId', { tenantId });
    if (runId) query.andWhere('event.runId = :runId', { runId });
    if (scheduleId) query.andWhere('event.scheduleId = :scheduleId', { scheduleId });
    if (after) {
      query.andWhere('(event.occurredAt, event.id) < (CAST(:afterInstant AS timestamptz), CAST(:afterId AS bigint))', {
        afterInstant: after[0],
        afterId: after[1],
      });
    }
    const { entities: rows, raw } = await query
      .orderBy('event.occurredAt', 'DESC')
      .addOrderBy('event.id', 'DESC')
      .limit(limit + 1)
      .getRawAndEntities<{ sort_instant: string }>();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toAuditEventView),
      nextCursor: rows.length > limit && last ? encodeCursor([raw[page.length - 1].sort_instant, last.id]) : null,
    };
  }
}

function toAuditEventView(event: AuditEventEntity): AuditEventView {
  return {
    id: event.id,
    tenantId: event.tenantId,
    actor: event.actor,
    actorUserId: event.actorUserId,
    action: event.action,
    runId: event.runId,
    scheduleId: event.scheduleId,
    details: event.details,
    occurredAt: event.occurredAt.toISOString(),
  };
}

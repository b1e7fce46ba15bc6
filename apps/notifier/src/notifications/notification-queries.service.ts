import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DEFAULT_PAGE_SIZE, type NotificationPage, type NotificationView } from '@policyvault/contracts';
import { RpcException } from '@policyvault/platform';
import type { NotificationAudience } from './notification-audience.js';
import { toNotificationView, type NotificationRow } from './notification-view.mapper.js';

export interface NotificationFilter {
  tenantId?: string;
  unreadOnly?: boolean;
  limit?: number;
  cursor?: string;
}

export interface MarkAllReadReply {
  /** Notifications this call marked read. */
  markedRead: number;
  /** What is still unread for the user across all visible tenants. */
  unreadCount: number;
}

// $1 user, $2 visible tenants, $3 optional tenant filter: the audience's scope in every statement.
const AUDIENCE = `user_id = $1 AND tenant_id = ANY($2::uuid[]) AND ($3::uuid IS NULL OR tenant_id = $3)`;

/** Read side of the notifications for the API: always one user's, always within visible tenants. */
@Injectable()
export class NotificationQueriesService {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  /**
   * Newest first; keyset pagination on (created_at, id). `unreadCount` covers the same user, visible
   * tenants and tenant filter (not `unreadOnly` or the page).
   */
  async list(audience: NotificationAudience, { tenantId, unreadOnly = false, limit = DEFAULT_PAGE_SIZE, cursor }: NotificationFilter): Promise<NotificationPage> {
    const after = cursor ? decodeCursor(cursor) : undefined;
    const scope = [audience.userId, audience.visibleTenantIds, tenantId ?? null];
    const rows: (NotificationRow & { cursor_time: string })[] = await this.database.query(
      `SELECT *, to_json(created_at) #>> '{}' AS cursor_time FROM notifier.notifications
       WHERE ${AUDIENCE}
         AND (NOT $4 OR read_at IS NULL)
         AND ($5::timestamptz IS NULL OR (created_at, id) < ($5::timestamptz, $6::uuid))
       ORDER BY created_at DESC, id DESC
       LIMIT $7`,
      [...scope, unreadOnly, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toNotificationView),
      nextCursor: rows.length > limit && last ? encodeCursor([last.cursor_time, last.id]) : null,
      unreadCount: await this.unreadCount(scope),
    };
  }

  /** Marks one of the user's notifications read (again is a no-op); anything else is `not_found`. */
  async markRead(audience: NotificationAudience, notificationId: string): Promise<NotificationView> {
    const [rows]: [NotificationRow[], number] = await this.database.query(
      `UPDATE notifier.notifications SET read_at = COALESCE(read_at, clock_timestamp())
       WHERE ${AUDIENCE} AND id = $4
       RETURNING *`,
      [audience.userId, audience.visibleTenantIds, null, notificationId],
    );
    if (rows.length === 0) throw RpcException.notFound('notification');
    return toNotificationView(rows[0]);
  }

  /** Marks every unread notification of the user read, in all visible tenants or in one. */
  async markAllRead(audience: NotificationAudience, tenantId?: string): Promise<MarkAllReadReply> {
    const [, markedRead]: [unknown[], number] = await this.database.query(
      `UPDATE notifier.notifications SET read_at = clock_timestamp() WHERE ${AUDIENCE} AND read_at IS NULL`,
      [audience.userId, audience.visibleTenantIds, tenantId ?? null],
    );
    return { markedRead, unreadCount: await this.unreadCount([audience.userId, audience.visibleTenantIds, null]) };
  }

  private async unreadCount(scope: unknown[]): Promise<number> {
    const rows: { count: number }[] = await this.database.query(
      `SELECT count(*)::int AS count FROM notifier.notifications WHERE ${AUDIENCE} AND read_at IS NULL`,
      scope,
    );
    return rows[0].count;
  }
}

function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parts) &&
      parts.length === 2 &&
      typeof parts[0] === 'string' &&
      !Number.isNaN(Date.parse(parts[0])) &&
      typeof parts[1] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(parts[1])
    ) {
      return [parts[0], parts[1]];
    }
  } catch {
    // fall through
  }
  throw RpcException.validation(['cursor: is not a cursor this API returned']);
}

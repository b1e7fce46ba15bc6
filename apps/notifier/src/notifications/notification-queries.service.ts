import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, IsNull, type DataSource, type FindOptionsWhere, type Repository } from 'typeorm';
import { DEFAULT_PAGE_SIZE, type NotificationPage, type NotificationView } from '@policyvault/contracts';
import { RpcException, owningTenant } from '@policyvault/platform';
import type { NotificationAudience } from './notification-audience.js';
import { toNotificationView } from './notification-view.mapper.js';
import { NotificationEntity } from './notification.entity.js';

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

/** Read side of the notifications for the API: always one user's, always within visible tenants. */
@Injectable()
export class NotificationQueriesService {
  private readonly notifications: Repository<NotificationEntity>;

  constructor(@InjectDataSource() database: DataSource) {
    this.notifications = database.getRepository(NotificationEntity);
  }

  /**
   * Newest first; keyset pagination on (created_at, id). `unreadCount` covers the same user, visible
   * tenants and tenant filter (not `unreadOnly` or the page).
   */
  async list(audience: NotificationAudience, { tenantId, unreadOnly = false, limit = DEFAULT_PAGE_SIZE, cursor }: NotificationFilter): Promise<NotificationPage> {
    const after = cursor ? decodeCursor(cursor) : undefined;
    const scope = audienceScope(audience, tenantId);
    const query = this.notifications
      .createQueryBuilder('notification')
      // created_at to the microsecond (a JavaScript Date keeps milliseconds): the cursor must not skip rows.
      .addSelect(`to_json(notification.created_at) #>> '{}'`, 'cursor_time')
      .where(unreadOnly ? { ...scope, readAt: IsNull() } : scope);
    if (after) query.andWhere('(notification.createdAt, notification.id) < (:afterTime::timestamptz, :afterId::uuid)', { afterTime: after[0], afterId: after[1] });
    const { entities, raw } = await query
      .orderBy('notification.createdAt', 'DESC')
      .addOrderBy('notification.id', 'DESC')
      .limit(limit + 1)
      .getRawAndEntities<{ cursor_time: string }>();
    const page = entities.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toNotificationView),
      nextCursor: entities.length > limit && last ? encodeCursor([raw[page.length - 1].cursor_time, last.id]) : null,
      unreadCount: await this.unreadCount(scope),
    };
  }

  /**
   * Marks one of the user's notifications read (again is a no-op). Any other id is `other_tenant` naming the
   * notification's tenant (another user's, or one about a tenant the user no longer sees: the gateway decides
   * 403 or 404), or `not_found` when it exists nowhere.
   */
  async markRead(audience: NotificationAudience, notificationId: string): Promise<NotificationView> {
    const scope = { ...audienceScope(audience), id: notificationId };
    await this.notifications.update({ ...scope, readAt: IsNull() }, { readAt: () => 'clock_timestamp()' });
    const notification = await this.notifications.findOneBy(scope);
    if (!notification) throw RpcException.notFoundOrOtherTenant('notification', await owningTenant(this.notifications.manager, NotificationEntity, { id: notificationId }));
    return toNotificationView(notification);
  }

  /** Marks every unread notification of the user read, in all visible tenants or in one. */
  async markAllRead(audience: NotificationAudience, tenantId?: string): Promise<MarkAllReadReply> {
    const { affected } = await this.notifications.update({ ...audienceScope(audience, tenantId), readAt: IsNull() }, { readAt: () => 'clock_timestamp()' });
    return { markedRead: affected ?? 0, unreadCount: await this.unreadCount(audienceScope(audience)) };
  }

  private unreadCount(scope: FindOptionsWhere<NotificationEntity>): Promise<number> {
    return this.notifications.countBy({ ...scope, readAt: IsNull() });
  }
}

/** The audience's scope, in every statement: the user's own notifications, in visible tenants (or one of them). */
function audienceScope(audience: NotificationAudience, tenantId?: string): FindOptionsWhere<NotificationEntity> {
  // Postgres compares uuids regardless of case; so does this filter.
  const tenantIds = tenantId === undefined ? audience.visibleTenantIds : audience.visibleTenantIds.filter((visible) => visible.toLowerCase() === tenantId.toLowerCase());
  return { userId: audience.userId, tenantId: In(tenantIds) };
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

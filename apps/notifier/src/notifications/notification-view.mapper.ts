import type { NotificationView } from '@policyvault/contracts';
import type { NotificationEntity } from './notification.entity.js';

export function toNotificationView(notification: NotificationEntity): NotificationView {
  return {
    id: notification.id,
    userId: notification.userId,
    tenantId: notification.tenantId,
    kind: notification.kind,
    runId: notification.runId,
    runType: notification.runType,
    status: notification.status,
    title: notification.title,
    body: notification.body,
    error: notification.error ? { code: notification.error.code, message: notification.error.message } : null,
    link: notification.link,
    createdAt: notification.createdAt.toISOString(),
    readAt: notification.readAt ? notification.readAt.toISOString() : null,
  };
}

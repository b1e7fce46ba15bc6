import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { RunStatusEvent } from '@policyvault/contracts';
import { annotateRun, inSpan } from '@policyvault/platform';
import { NotifierConfig } from '../notifier.config.js';
import { driftFound, notificationContent } from './notification-content.js';
import { NotificationWriter, insertNotifications } from './notification-writer.js';
import { TenantOwnersClient } from './tenant-owners.client.js';
import { notificationLag, notificationsWritten } from './notification.metrics.js';

/**
 * The write side: turns one run transition into the initiator's notification, exactly once; a drift
 * check that found drift also notifies each owner of the tenant (the initiator once, if an owner too).
 */
@Injectable()
export class RecordNotificationService {
  private readonly writer: NotificationWriter;

  constructor(
    @InjectDataSource() database: DataSource,
    private readonly config: NotifierConfig,
    private readonly owners: TenantOwnersClient,
  ) {
    this.writer = new NotificationWriter(insertNotifications(database));
  }

  /**
   * Resolves once the notifications are committed (batched with those of concurrent calls): to true when
   * this call created one, false when they all existed. Throws when the tenant's owners cannot be read
   * (the event is retried; what was written stays written once).
   */
  record(event: RunStatusEvent): Promise<boolean> {
    return inSpan('notification record', { attributes: { 'policyvault.run_status': event.status } }, async (span) => {
      annotateRun(event, span);
      const content = notificationContent(event, this.config.UI_BASE_URL);
      const recipients = new Set([event.initiator.userId.toLowerCase()]);
      if (driftFound(event)) for (const owner of await this.owners.owners(event.tenantId)) recipients.add(owner.userId.toLowerCase());
      const created = (await Promise.all([...recipients].map((userId) => this.write(event, userId, content)))).filter(Boolean).length;
      span.setAttribute('policyvault.notifications_created', created);
      if (created > 0) {
        notificationsWritten.inc({ status: event.status }, created);
        notificationLag.observe({}, (Date.now() - Date.parse(event.occurredAt)) / 1000);
      }
      return created > 0;
    });
  }

  private write(event: RunStatusEvent, userId: string, content: ReturnType<typeof notificationContent>): Promise<boolean> {
    return this.writer.write({
      userId,
      tenantId: event.tenantId,
      runId: event.runId,
      runType: event.type,
      status: event.status,
      ...content,
      eventId: event.eventId,
      occurredAt: new Date(event.occurredAt),
    });
  }
}

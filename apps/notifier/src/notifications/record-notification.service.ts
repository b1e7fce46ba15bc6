import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { RunStatusEvent } from '@policyvault/contracts';
import { NotifierConfig } from '../notifier.config.js';
import { notificationContent } from './notification-content.js';
import { NotificationWriter, insertNotifications } from './notification-writer.js';

/** The write side: turns one run transition into the initiator's notification, exactly once. */
@Injectable()
export class RecordNotificationService {
  private readonly writer: NotificationWriter;

  constructor(
    @InjectDataSource() database: DataSource,
    private readonly config: NotifierConfig,
  ) {
    this.writer = new NotificationWriter(insertNotifications(database));
  }

  /**
   * Resolves once the notification is committed (batched with those of concurrent calls): to true when
   * this call created it, false when it already existed.
   */
  record(event: RunStatusEvent): Promise<boolean> {
    const content = notificationContent(event, this.config.UI_BASE_URL);
    return this.writer.write({
      userId: event.initiator.userId,
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

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { RunStatusEvent } from '@policyvault/contracts';
import { NotifierConfig } from '../notifier.config.js';
import { notificationContent } from './notification-content.js';

// One statement, anchored on the unique (run_id, status) index: a redelivered or republished event
// finds its notification already there and adds nothing, whichever replica handles it.
const INSERT_NOTIFICATION = `
  INSERT INTO notifier.notifications
    (user_id, tenant_id, run_id, run_type, status, title, body, error, link, event_id, occurred_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
  ON CONFLICT (run_id, status) DO NOTHING
  RETURNING id`;

/** The write side: turns one run transition into the initiator's notification, exactly once. */
@Injectable()
export class RecordNotificationService {
  constructor(
    @InjectDataSource() private readonly database: DataSource,
    private readonly config: NotifierConfig,
  ) {}

  /** Resolves to true when this call created the notification, false when it already existed. */
  async record(event: RunStatusEvent): Promise<boolean> {
    const content = notificationContent(event, this.config.UI_BASE_URL);
    const rows: { id: string }[] = await this.database.query(INSERT_NOTIFICATION, [
      event.initiator.userId,
      event.tenantId,
      event.runId,
      event.type,
      event.status,
      content.title,
      content.body,
      content.error,
      content.link,
      event.eventId,
      event.occurredAt,
    ]);
    return rows.length > 0;
  }
}

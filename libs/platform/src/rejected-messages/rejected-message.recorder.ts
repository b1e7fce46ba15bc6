import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { ExhaustedMessage } from '../jetstream/jetstream-pull-consumer.js';
import { LOGGER } from '../platform.module.js';
import { RejectedMessageEntity } from './rejected-message.entity.js';
import { scrubPayload } from './scrub-payload.js';

/**
 * Keeps what a consumer could not process in the service's own `rejected_messages` table, once per stream
 * message: a message recorded before (its termination was lost, or two paths gave it up) adds no row.
 */
@Injectable()
export class RejectedMessageRecorder {
  constructor(
    @InjectDataSource() private readonly database: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async record(message: ExhaustedMessage): Promise<void> {
    const subject = withoutNul(message.subject);
    const reason = withoutNul(message.reason);
    const result = await this.database
      .createQueryBuilder()
      .insert()
      .into(RejectedMessageEntity)
      .values({
        subject,
        payload: scrubPayload(message.data),
        reason: reason.slice(0, 1000),
        deliveryCount: message.deliveryCount,
        stream: message.stream,
        streamSequence: String(message.streamSequence),
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    if ((result.raw as unknown[]).length === 0) return; // recorded on an earlier delivery
    this.logger.warn({ subject, stream: message.stream, seq: message.streamSequence, reason: reason.slice(0, 500) }, 'message rejected');
  }
}

// Postgres refuses NUL in text; a subject or a reason quoting a field name may carry one.
function withoutNul(text: string): string {
  return text.replaceAll('\0', '\uFFFD');
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { ExhaustedMessage } from '../jetstream/jetstream-pull-consumer.js';
import { LOGGER } from '../platform.module.js';
import { RejectedMessageEntity } from './rejected-message.entity.js';
import { scrubPayload } from './scrub-payload.js';

/** Keeps what a consumer could not process in the service's own `rejected_messages` table. */
@Injectable()
export class RejectedMessageRecorder {
  constructor(
    @InjectDataSource() private readonly database: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async record(message: ExhaustedMessage): Promise<void> {
    this.logger.warn({ subject: message.subject, reason: message.reason.slice(0, 500) }, 'message rejected');
    await this.database.getRepository(RejectedMessageEntity).insert({
      subject: message.subject,
      payload: scrubPayload(message.data),
      reason: message.reason.slice(0, 1000),
      deliveryCount: message.deliveryCount,
    });
  }
}

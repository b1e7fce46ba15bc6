import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ExhaustedMessage, RejectedCommandRecorder } from '@policyvault/platform';

const MAX_PAYLOAD_CHARS = 64 * 1024;

/** Keeps every command the consumer drops in capture.rejected_commands (the consumer then fails its run). */
@Injectable()
export class CaptureRejectedCommandRecorder implements RejectedCommandRecorder {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  async record(message: ExhaustedMessage): Promise<void> {
    await this.database.query(
      `INSERT INTO capture.rejected_commands (subject, payload, reason, delivery_count) VALUES ($1, $2, $3, $4)`,
      [message.subject, Buffer.from(message.data).toString('utf8').replace(/\u0000/g, '').slice(0, MAX_PAYLOAD_CHARS), message.reason.slice(0, 1000), message.deliveryCount],
    );
  }
}

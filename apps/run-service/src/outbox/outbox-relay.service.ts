import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { JETSTREAM, LOGGER, type JetStreamClient } from '@policyvault/platform';
import { RunServiceConfig } from '../run-service.config.js';

const BATCH_SIZE = 200;
const PUBLISH_TIMEOUT_MS = 5000;
const SENT_ROW_RETENTION = '7 days';

interface OutboxRow {
  id: string;
  subject: string;
  message_id: string;
  payload: unknown;
}

/**
 * Relays committed outbox rows to JetStream. Prompt: the start path kicks it right after commit.
 * Reliable: a periodic sweep sends whatever is left (rows of a crashed replica, a broker outage),
 * and `FOR UPDATE SKIP LOCKED` lets several replicas relay without sending a row twice at once.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private draining?: Promise<void>;
  private kickedWhileDraining = false;
  private sweepTimer?: NodeJS.Timeout;
  private stopped = false;
  private sweeps = 0;

  constructor(
    @InjectDataSource() private readonly database: DataSource,
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly config: RunServiceConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.sweepTimer = setInterval(() => this.sweep(), this.config.OUTBOX_POLL_INTERVAL_MS);
    this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweepTimer);
    await this.draining;
  }

  /** Relay now (coalesced: a kick during a drain makes the drain go round once more). */
  kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.kickedWhileDraining = true;
      return;
    }
    this.draining = this.drain().finally(() => (this.draining = undefined));
  }

  private sweep(): void {
    this.kick();
    this.sweeps += 1;
    if (this.sweeps % 600 === 0) void this.pruneSentRows();
  }

  private async drain(): Promise<void> {
    try {
      do {
        this.kickedWhileDraining = false;
        while (!this.stopped && (await this.relayBatch()) === BATCH_SIZE);
      } while (this.kickedWhileDraining && !this.stopped);
    } catch (error) {
      this.logger.warn({ err: { message: (error as Error).message } }, 'outbox relay failed; the sweep retries');
    }
  }

  /** Publishes one batch; returns how many rows were sent (a failure stops the drain until the sweep). */
  private async relayBatch(): Promise<number> {
    return this.database.transaction(async (manager) => {
      const rows: OutboxRow[] = await manager.query(
        `SELECT id, subject, message_id, payload FROM run_service.outbox
         WHERE sent_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH_SIZE],
      );
      if (rows.length === 0) return 0;
      const results = await Promise.allSettled(
        rows.map((row) =>
          this.js.publish(row.subject, JSON.stringify(row.payload), { msgID: row.message_id, timeout: PUBLISH_TIMEOUT_MS }),
        ),
      );
      const sent = rows.filter((_, index) => results[index].status === 'fulfilled').map((row) => row.id);
      const failed = rows.filter((_, index) => results[index].status === 'rejected').map((row) => row.id);
      if (sent.length > 0) {
        await manager.query(`UPDATE run_service.outbox SET sent_at = clock_timestamp(), attempts = attempts + 1 WHERE id = ANY($1)`, [sent]);
      }
      if (failed.length > 0) {
        const reason = (results.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason;
        await manager.query(`UPDATE run_service.outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1)`, [
          failed,
          String((reason as Error)?.message ?? reason).slice(0, 300),
        ]);
        this.logger.warn({ failed: failed.length }, 'outbox rows not published; retrying on the next sweep');
        return 0;
      }
      return sent.length;
    });
  }

  private async pruneSentRows(): Promise<void> {
    await this.database
      .query(`DELETE FROM run_service.outbox WHERE sent_at < now() - interval '${SENT_ROW_RETENTION}'`)
      .catch(() => undefined);
  }
}

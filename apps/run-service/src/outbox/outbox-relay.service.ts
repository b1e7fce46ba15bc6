import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { JETSTREAM, LOGGER, publishTraced, type JetStreamClient } from '@policyvault/platform';
import { RunServiceConfig } from '../run-service.config.js';
import { OutboxEntity } from './outbox.entity.js';
import { measureRelayed, watchOutboxBacklog } from './outbox.metrics.js';

const BATCH_SIZE = 200;
const PUBLISH_TIMEOUT_MS = 5000;
const SENT_ROW_RETENTION = '7 days';

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
  private stopBacklogMetrics?: () => void;

  constructor(
    @InjectDataSource() private readonly database: DataSource,
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly config: RunServiceConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.stopBacklogMetrics = watchOutboxBacklog(this.database);
    this.sweepTimer = setInterval(() => this.sweep(), this.config.OUTBOX_POLL_INTERVAL_MS);
    this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.stopBacklogMetrics?.();
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
    let measured: (() => void) | undefined;
    const relayed = await this.database.transaction(async (manager) => {
      const rows = await manager
        .getRepository(OutboxEntity)
        .createQueryBuilder('outbox')
        .select(['outbox.id', 'outbox.subject', 'outbox.messageId', 'outbox.payload', 'outbox.traceContext'])
        .where('outbox.sentAt IS NULL')
        .orderBy('outbox.id')
        .limit(BATCH_SIZE)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      if (rows.length === 0) return 0;
      const results = await Promise.allSettled(
        rows.map((row) =>
          // Continues the trace of the change that wrote the row (the start, the applied worker event).
          publishTraced(this.js, row.subject, JSON.stringify(row.payload), { msgID: row.messageId, timeout: PUBLISH_TIMEOUT_MS }, {
            name: 'outbox publish',
            run: row.payload,
            parent: row.traceContext,
          }),
        ),
      );
      const sent = rows.filter((_, index) => results[index].status === 'fulfilled').map((row) => row.id);
      const failed = rows.filter((_, index) => results[index].status === 'rejected').map((row) => row.id);
      if (sent.length > 0) {
        const { raw } = await manager
          .createQueryBuilder()
          .update(OutboxEntity)
          .set({ sentAt: () => 'clock_timestamp()', attempts: () => 'attempts + 1' })
          .where({ id: In(sent) })
          .returning('extract(epoch FROM sent_at - created_at)::float8 AS lag')
          .updateEntity(false)
          .execute();
        const sentIds = new Set(sent);
        const lags = (raw as { lag: number }[]).map((row) => Number(row.lag));
        measured = await measureRelayed(manager, rows.filter((row) => sentIds.has(row.id)), lags);
      }
      if (failed.length > 0) {
        const reason = (results.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason;
        await manager.update(OutboxEntity, { id: In(failed) }, {
          attempts: () => 'attempts + 1',
          lastError: String((reason as Error)?.message ?? reason).slice(0, 300),
        });
        this.logger.warn({ failed: failed.length }, 'outbox rows not published; retrying on the next sweep');
        return 0;
      }
      return sent.length;
    });
    measured?.();
    return relayed;
  }

  private async pruneSentRows(): Promise<void> {
    await this.database
      .getRepository(OutboxEntity)
      .createQueryBuilder()
      .delete()
      .where(`sent_at < now() - interval '${SENT_ROW_RETENTION}'`)
      .execute()
      .catch(() => undefined);
  }
}

import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource, type QueryRunner } from 'typeorm';
import type { Logger } from 'pino';
import { JETSTREAM, LOGGER, publishTraced, type JetStreamClient } from '@policyvault/platform';
import { RunServiceConfig } from '../run-service.config.js';
import { beginAndClaimUnsentOutbox, markOutboxSentAndCommit, type ClaimedOutboxRow, type SimpleQueryConnection } from '../database/run-service.sql.js';
import { OutboxEntity } from './outbox.entity.js';
import { measureRelayed, watchOutboxBacklog } from './outbox.metrics.js';

const BATCH_SIZE = 200;
const PUBLISH_TIMEOUT_MS = 5000;
const SENT_ROW_RETENTION = '7 days';

/** The pooled connection a drain holds: TypeORM's runner (its error listener releases a broken one) and its pg client. */
interface RelayConnection {
  runner: QueryRunner;
  client: SimpleQueryConnection;
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
    // One pooled connection for the whole drain: a pass under load does not queue for the pool again.
    let connection: RelayConnection | undefined;
    try {
      connection = await this.connect();
      do {
        this.kickedWhileDraining = false;
        while (!this.stopped && (await this.relayBatch(connection)) === BATCH_SIZE);
      } while (this.kickedWhileDraining && !this.stopped);
    } catch (error) {
      this.logger.warn({ err: { message: (error as Error).message } }, 'outbox relay failed; the sweep retries');
    } finally {
      // A connection that failed (Postgres stopped, a broken socket) was already released by TypeORM's
      // error listener, with the error, so the pool closes it instead of reusing it.
      await connection?.runner.release().catch(() => undefined);
    }
  }

  private async connect(): Promise<RelayConnection> {
    const runner = this.database.createQueryRunner();
    try {
      return { runner, client: (await runner.connect()) as SimpleQueryConnection };
    } catch (error) {
      await runner.release().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Publishes one batch; returns how many rows were sent (a failure stops the drain until the sweep). Two
   * round trips to Postgres around the publish (`BEGIN; SELECT … FOR UPDATE SKIP LOCKED`, then `UPDATE …
   * SET sent_at; COMMIT`), so a commit's rows reach the stream after as few waits as possible.
   */
  private async relayBatch({ runner, client }: RelayConnection): Promise<number> {
    let rows: ClaimedOutboxRow[];
    let sent: ClaimedOutboxRow[] = [];
    let lags: number[] = [];
    try {
      rows = await beginAndClaimUnsentOutbox(client, BATCH_SIZE);
      if (rows.length === 0) {
        await runner.query('COMMIT');
        return 0;
      }
      // Every publish of the batch goes out at once on the one NATS connection; the acks come back pipelined.
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
      sent = rows.filter((_, index) => results[index].status === 'fulfilled');
      const failed = rows.filter((_, index) => results[index].status === 'rejected').map((row) => row.id);
      if (failed.length > 0) {
        const reason = (results.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason;
        await runner.manager.update(OutboxEntity, { id: In(failed) }, {
          attempts: () => 'attempts + 1',
          lastError: String((reason as Error)?.message ?? reason).slice(0, 300),
        });
        this.logger.warn({ failed: failed.length }, 'outbox rows not published; retrying on the next sweep');
      }
      // Marked sent only now that the stream has acknowledged them (a retry of a row it stored is dropped by Nats-Msg-Id).
      if (sent.length > 0) lags = await markOutboxSentAndCommit(client, sent.map((row) => row.id));
      else await runner.query('COMMIT');
      if (failed.length > 0) return 0;
    } catch (error) {
      if (!runner.isReleased) await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      if (lags.length > 0) this.measure(sent, lags);
    }
    return sent.length;
  }

  /** Metrics of a committed batch (run durations read on the shared pool), off the relay's path. */
  private measure(rows: ClaimedOutboxRow[], lags: number[]): void {
    measureRelayed(this.database.manager, rows, lags)
      .then((record) => record())
      .catch((error: Error) => this.logger.debug({ err: { message: error.message } }, 'outbox relay metrics not recorded'));
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

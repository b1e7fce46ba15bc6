import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import pg from 'pg';
import type { Logger } from 'pino';
import { JETSTREAM, LOGGER, publishTraced, type JetStreamClient, type TraceCarrier } from '@policyvault/platform';
import { RunServiceConfig } from '../run-service.config.js';
import { OutboxEntity } from './outbox.entity.js';
import { measureRelayed, watchOutboxBacklog } from './outbox.metrics.js';

const BATCH_SIZE = 200;
const PUBLISH_TIMEOUT_MS = 5000;
const SENT_ROW_RETENTION = '7 days';
const CONNECT_TIMEOUT_MS = 10_000;
const QUERY_TIMEOUT_MS = 30_000;

interface ClaimedRow {
  id: string;
  subject: string;
  message_id: string;
  payload: Record<string, unknown>;
  trace_context: TraceCarrier | null;
}

/**
 * Relays committed outbox rows to JetStream. Prompt: the start path kicks it right after commit.
 * Reliable: a periodic sweep sends whatever is left (rows of a crashed replica, a broker outage),
 * and `FOR UPDATE SKIP LOCKED` lets several replicas relay without sending a row twice at once.
 *
 * Fast: the relay has a connection of its own (it never queues behind the service's transactions for
 * the shared pool), and a pass is two round trips to Postgres around one pipelined publish of the batch:
 * `BEGIN; SELECT … FOR UPDATE SKIP LOCKED`, then `UPDATE … SET sent_at; COMMIT`. That commit is
 * asynchronous (`synchronous_commit = off`): what a crash of Postgres can lose is only the mark of rows
 * already on the stream, which the next pass sends again and JetStream drops by `Nats-Msg-Id` (its
 * duplicate window is 2 minutes) — the same as a relay killed between the publish and its commit.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private draining?: Promise<void>;
  private kickedWhileDraining = false;
  private sweepTimer?: NodeJS.Timeout;
  private stopped = false;
  private sweeps = 0;
  private stopBacklogMetrics?: () => void;
  private readonly connection: pg.Pool;
  private table = '';

  constructor(
    @InjectDataSource() private readonly database: DataSource,
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly config: RunServiceConfig,
  ) {
    // One connection, used by one pass at a time (drains do not overlap); reopened after an error. A Postgres
    // that stops answering fails the pass (the sweep retries) instead of holding the relay forever.
    this.connection = new pg.Pool({
      connectionString: config.DATABASE_URL,
      max: 1,
      application_name: 'run-service outbox relay',
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
    });
    this.connection.on('error', (error) => this.logger.warn({ err: { message: error.message } }, 'outbox relay connection lost; reconnecting'));
  }

  onApplicationBootstrap(): void {
    this.table = this.database.getMetadata(OutboxEntity).tablePath;
    this.stopBacklogMetrics = watchOutboxBacklog(this.database);
    this.sweepTimer = setInterval(() => this.sweep(), this.config.OUTBOX_POLL_INTERVAL_MS);
    this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.stopBacklogMetrics?.();
    clearInterval(this.sweepTimer);
    await this.draining;
    await this.connection.end().catch(() => undefined);
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
    const client = await this.connection.connect();
    let broken: Error | undefined;
    try {
      // One round trip: the transaction begins and locks the oldest unsent rows (other replicas skip them).
      const [, , claimed] = (await client.query(
        `BEGIN; SET LOCAL synchronous_commit = off;
         SELECT id, subject, message_id, payload, trace_context FROM ${this.table}
         WHERE sent_at IS NULL ORDER BY id LIMIT ${BATCH_SIZE} FOR UPDATE SKIP LOCKED`,
      )) as unknown as pg.QueryResult<ClaimedRow>[];
      const rows = claimed.rows;
      if (rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      // Every publish goes out at once on the one NATS connection (in id order); the acks come back pipelined.
      const results = await Promise.allSettled(
        rows.map((row) =>
          // Continues the trace of the change that wrote the row (the start, the applied worker event).
          publishTraced(this.js, row.subject, JSON.stringify(row.payload), { msgID: row.message_id, timeout: PUBLISH_TIMEOUT_MS }, {
            name: 'outbox publish',
            run: row.payload,
            parent: row.trace_context,
          }),
        ),
      );
      const sent = rows.filter((_, index) => results[index].status === 'fulfilled');
      const failed = rows.filter((_, index) => results[index].status === 'rejected');
      if (failed.length > 0) {
        const reason = (results.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason;
        await client.query(`UPDATE ${this.table} SET attempts = attempts + 1, last_error = $1 WHERE id = ANY($2::bigint[])`, [
          String((reason as Error)?.message ?? reason).slice(0, 300),
          failed.map((row) => row.id),
        ]);
      }
      let lags: number[] = [];
      if (sent.length > 0) {
        // One round trip: mark the batch sent and commit. Ids are the bigint column's own digits.
        const ids = sent.map((row) => bigintLiteral(row.id)).join(',');
        const [marked] = (await client.query(
          `UPDATE ${this.table} SET sent_at = clock_timestamp(), attempts = attempts + 1 WHERE id = ANY('{${ids}}'::bigint[])
           RETURNING extract(epoch FROM sent_at - created_at)::float8 AS lag; COMMIT`,
        )) as unknown as pg.QueryResult<{ lag: number }>[];
        lags = marked.rows.map((row) => Number(row.lag));
      } else {
        await client.query('COMMIT');
      }
      if (sent.length > 0) this.measure(sent, lags);
      if (failed.length > 0) {
        this.logger.warn({ failed: failed.length }, 'outbox rows not published; retrying on the next sweep');
        return 0;
      }
      return sent.length;
    } catch (error) {
      broken = error as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      // A connection that failed mid-transaction is closed, not reused.
      client.release(broken);
    }
  }

  /** Metrics of a committed batch, read off the relay's path (the shared pool, after the commit). */
  private measure(rows: ClaimedRow[], lags: number[]): void {
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

function bigintLiteral(id: string): string {
  if (!/^\d{1,19}$/.test(id)) throw new Error(`outbox id ${JSON.stringify(id)} is not a bigint`);
  return id;
}

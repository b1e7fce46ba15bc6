import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import type { Logger } from 'pino';
import { JETSTREAM, LOGGER, publishTraced, writeCoalescedNow, type JetStreamClient } from '@policyvault/platform';
import { RunServiceConfig } from '../run-service.config.js';
import {
  beginAndClaimUnsentOutbox,
  markOutboxSent,
  markOutboxSentAndCommit,
  type ClaimedOutboxRow,
  type SimpleQueryConnection,
} from '../database/run-service.sql.js';
import { OutboxEntity } from './outbox.entity.js';
import { measureRelayed, watchOutboxBacklog } from './outbox.metrics.js';

const BATCH_SIZE = 200;
const MARK_BATCH_SIZE = 1000;
const PUBLISH_TIMEOUT_MS = 5000;
const SENT_ROW_RETENTION = '7 days';

/** The pooled connection a drain holds: TypeORM's runner (its error listener releases a broken one) and its pg client. */
interface RelayConnection {
  runner: QueryRunner;
  client: SimpleQueryConnection;
}

/** What the publishes of some rows came to: the rows the stream acknowledged, and those it did not. */
interface Published {
  sent: ClaimedOutboxRow[];
  failed: ClaimedOutboxRow[];
  reason?: unknown;
}

/**
 * The outbox rows one transaction wrote, collected as it writes them: it publishes them itself once committed
 * (`OutboxRelay.relayCommitted`). `othersWritten`: it also wrote rows it does not hold, which a pass then claims.
 */
export class TransactionOutbox {
  readonly rows: ClaimedOutboxRow[] = [];
  othersWritten = false;

  add(row: ClaimedOutboxRow | undefined): void {
    if (row) this.rows.push(row);
  }
}

/**
 * Relays committed outbox rows to JetStream. Prompt: a start batch and a worker event's transaction hand their rows
 * over right after their commit (`publishCommitted`: no claim, one statement to mark them sent); other writers kick a
 * pass right after theirs.
 * Reliable: a periodic sweep sends whatever is left (rows of a crashed replica, a broker outage), and
 * `FOR UPDATE SKIP LOCKED` lets several replicas' passes relay without sending a row twice at once. A sweep
 * leaves rows younger than its interval to whoever committed them; a row still published twice (a pass that
 * claimed a start batch's rows while they were being published) is stored once: the stream drops it by Nats-Msg-Id.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private draining?: Promise<void>;
  /** The pass the drain owes: every unsent row (a kick), or only settled ones (a sweep). */
  private pendingPass?: 'all' | 'settled';
  /** Publishes of committed rows (`publishCommitted`) under way. */
  private readonly publishing = new Set<Promise<void>>();
  /** Rows those publishes got acknowledged, waiting for the statement under way (`marking`) to end; marked together next. */
  private acknowledged: ClaimedOutboxRow[] = [];
  private marking?: Promise<void>;
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
    await Promise.all([this.draining, ...this.publishing]);
    await this.marking;
  }

  /** Relay now (coalesced: a kick during a drain makes the drain go round once more). */
  kick(): void {
    this.requestPass('all');
  }

  /** After the commit of a transaction that collected its outbox rows: publishes them at once, and a pass claims any others. */
  relayCommitted(outbox: TransactionOutbox): void {
    this.publishCommitted(outbox.rows);
    if (outbox.othersWritten) this.kick();
  }

  /**
   * Publishes rows the caller has just committed (a start batch: it knows them, so no pass claims them first)
   * and marks the acknowledged ones sent; rows not acknowledged are left to the sweep, as a pass leaves them.
   * Published at once; marked by one statement at a time (rows acknowledged meanwhile are marked together next).
   */
  publishCommitted(rows: ClaimedOutboxRow[]): void {
    if (this.stopped || rows.length === 0) return;
    const publishing: Promise<void> = this.publish(rows)
      .then(async (published) => {
        await this.recordFailures(this.database.manager, published);
        // Marked sent only now that the stream has acknowledged them.
        this.acknowledged.push(...published.sent);
        this.marking ??= this.markAcknowledged().finally(() => (this.marking = undefined));
      })
      .catch((error: Error) => this.logger.warn({ err: { message: error.message } }, 'outbox relay failed; the sweep retries'))
      .finally(() => this.publishing.delete(publishing));
    this.publishing.add(publishing);
    // On their way at once, not after the rest of a busy loop turn (after nats.js's flush microtask: queued after it).
    queueMicrotask(writeCoalescedNow);
  }

  private async markAcknowledged(): Promise<void> {
    while (this.acknowledged.length > 0) {
      const rows = this.acknowledged.splice(0, MARK_BATCH_SIZE);
      try {
        const marked = await markOutboxSent(this.database, rows.map((row) => row.id));
        const markedIds = new Set(marked.map((row) => row.id));
        if (marked.length > 0) this.measure(rows.filter((row) => markedIds.has(row.id)), marked.map((row) => row.lag));
      } catch (error) {
        // Left unsent: the sweep publishes them again, and the stream drops them by Nats-Msg-Id.
        this.logger.warn({ err: { message: (error as Error).message } }, 'outbox rows published but not marked sent; the sweep retries');
      }
    }
  }

  private requestPass(pass: 'all' | 'settled'): void {
    if (this.stopped) return;
    this.pendingPass = this.pendingPass === 'all' ? 'all' : pass;
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  private sweep(): void {
    this.requestPass('settled');
    this.sweeps += 1;
    if (this.sweeps % 600 === 0) void this.pruneSentRows();
  }

  private async drain(): Promise<void> {
    // One pooled connection for the whole drain: a pass under load does not queue for the pool again.
    let connection: RelayConnection | undefined;
    try {
      connection = await this.connect();
      while (this.pendingPass && !this.stopped) {
        const settledMs = this.pendingPass === 'settled' ? this.config.OUTBOX_POLL_INTERVAL_MS : 0;
        this.pendingPass = undefined;
        while (!this.stopped && (await this.relayBatch(connection, settledMs)) === BATCH_SIZE);
      }
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
  private async relayBatch({ runner, client }: RelayConnection, settledMs: number): Promise<number> {
    let rows: ClaimedOutboxRow[];
    let sent: ClaimedOutboxRow[] = [];
    let lags: number[] = [];
    try {
      rows = await beginAndClaimUnsentOutbox(client, BATCH_SIZE, settledMs);
      if (rows.length === 0) {
        await runner.query('COMMIT');
        return 0;
      }
      const published = await this.publish(rows);
      sent = published.sent;
      await this.recordFailures(runner.manager, published);
      // Marked sent only now that the stream has acknowledged them (a retry of a row it stored is dropped by Nats-Msg-Id).
      if (sent.length > 0) lags = await markOutboxSentAndCommit(client, sent.map((row) => row.id));
      else await runner.query('COMMIT');
      if (published.failed.length > 0) return 0;
    } catch (error) {
      if (!runner.isReleased) await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      if (lags.length > 0) this.measure(sent, lags);
    }
    return sent.length;
  }

  /** Every publish goes out at once on the one NATS connection; the acks come back pipelined. */
  private async publish(rows: ClaimedOutboxRow[]): Promise<Published> {
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
    const rejected = results.find((result) => result.status === 'rejected');
    return {
      sent: rows.filter((_, index) => results[index].status === 'fulfilled'),
      failed: rows.filter((_, index) => results[index].status === 'rejected'),
      reason: rejected?.reason,
    };
  }

  private async recordFailures(manager: EntityManager, { failed, reason }: Published): Promise<void> {
    if (failed.length === 0) return;
    await manager.update(OutboxEntity, { id: In(failed.map((row) => row.id)) }, {
      attempts: () => 'attempts + 1',
      lastError: String((reason as Error)?.message ?? reason).slice(0, 300),
    });
    this.logger.warn({ failed: failed.length }, 'outbox rows not published; retrying on the next sweep');
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

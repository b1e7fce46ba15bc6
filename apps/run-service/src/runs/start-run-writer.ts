import { In, type DataSource, type EntityManager } from 'typeorm';
import { RunStatus, RunStatusEventKind, type JetStreamNames } from '@policyvault/contracts';
import { TurnBatches, afterCoalescedWrites, traceCarrier, type TraceCarrier } from '@policyvault/platform';
import { insertRunsWithOutbox, type ClaimedOutboxRow, type InsertedStart, type StartInputRow } from '../database/run-service.sql.js';
import { buildRunStatusEvent } from '../outbox/run-status-event.builder.js';
import type { OutboxEntity } from '../outbox/outbox.entity.js';
import type { OutboxRelay } from '../outbox/outbox-relay.service.js';
import { RunEntity } from './run.entity.js';

/** One start, ready to be written: the new run's values and its command. */
export type PendingStart = Pick<
  RunEntity,
  'id' | 'tenantId' | 'tenantDirectoryId' | 'type' | 'target' | 'scope' | 'scopeHash' | 'dedupeKey' | 'initiatorUserId' | 'initiatorEmail'
> &
  Pick<OutboxEntity, 'subject' | 'messageId' | 'payload'> & {
    /** The gateway's Idempotency-Key anchor, recorded with the new run; undefined without one. */
    idempotencyAnchor?: string;
    /** The start's trace; undefined: the caller's active one (a batch is written in another start's context). */
    traceContext?: TraceCarrier | null;
  };

/** The run that answers a start: the one inserted, the active one with its key, or none (retry). */
type StartWriteResult = { run: RunEntity; reused: boolean } | undefined;

/** Inserts runs with their command and "queued" status event, skipping keys with an active run. */
export async function insertRunsWithCommands(database: DataSource | EntityManager, starts: PendingStart[], names: JetStreamNames): Promise<RunEntity[]> {
  return (await insertRunsWithOutbox(database, starts.map((start) => toStartInput(start, names)))).map(({ run }) => run);
}

/**
 * At most 64 starts per statement. A burst larger than that (200 starts at once on the notifications benchmark)
 * is written as several statements, two at a time on two Postgres backends, instead of one statement of ~200 rows
 * (~47 ms under that load) behind which every "queued" event waited: commit → notification p99 median 233 → 134 ms
 * over 6 alternated pairs (BENCHMARKS.md, issue 17). Steady load never fills a batch this large.
 */
const MAX_BATCH = 64;
/**
 * Two statements in flight per replica: while they are written the next starts queue up into a larger batch. With
 * four, batches were half as large and Postgres spent ~0.8 ms of CPU per start instead of ~0.65 (a commit and a
 * statement per batch), for no better latency on the start-path benchmark (BENCHMARKS.md, issue 17 target 1).
 */
const MAX_CONCURRENT_BATCHES = 2;

interface Waiter {
  start: PendingStart;
  resolve: (result: StartWriteResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes concurrent starts in small batches: starts that arrive while earlier batches are being
 * written share the next statement and its commit. Under load that turns hundreds of commits per
 * second into a few dozen, with the same guarantees as one statement per start.
 */
export class StartRunWriter {
  /** The starts of one loop turn share a statement (at most MAX_BATCH, MAX_CONCURRENT_BATCHES at once). */
  private readonly batches = new TurnBatches<Waiter>((batch) => this.writeBatch(batch), { maxBatch: MAX_BATCH, maxInFlight: MAX_CONCURRENT_BATCHES });

  constructor(
    private readonly database: DataSource,
    /** Each new run also announces its "queued" transition. */
    private readonly names: JetStreamNames,
    /** Publishes each batch's outbox rows once it committed. */
    private readonly relay: Pick<OutboxRelay, 'publishCommitted' | 'kick'>,
  ) {}

  write(start: PendingStart): Promise<StartWriteResult> {
    return new Promise((resolve, reject) => {
      this.batches.add({ start: { ...start, traceContext: start.traceContext ?? traceCarrier() }, resolve, reject });
    });
  }

  private async writeBatch(batch: Waiter[]): Promise<void> {
    try {
      const inputs = batch.map(({ start }) => toStartInput(start, this.names));
      const written = await insertRunsWithOutbox(this.database, inputs);
      this.relayCommitted(inputs, written);
      // The commands and "queued" events leave for the stream before the batch's replies are built: answered in
      // this turn, a full batch's replies would hold the publishes in the corked NATS socket (commit → stream p99
      // 54 → 34 ms on the start-path benchmark).
      await afterCoalescedWrites();
      const inserted = written.map(({ run }) => run);
      const insertedIds = new Set(inserted.map((row) => row.id));
      const others = batch.filter(({ start }) => !insertedIds.has(start.id));
      // A de-duplication key contains its tenant id: a key finds only runs of its own tenant.
      const active =
        others.length > 0
          ? await this.database.getRepository(RunEntity).findBy({
              dedupeKey: In([...new Set(others.map(({ start }) => start.dedupeKey))]),
              status: In([RunStatus.Queued, RunStatus.Running]),
            })
          : [];
      const insertedById = new Map(inserted.map((row) => [row.id, row]));
      const activeByKey = new Map(active.map((row) => [row.dedupeKey, row]));
      for (const { start, resolve } of batch) {
        const own = insertedById.get(start.id);
        if (own) resolve({ run: own, reused: false });
        else {
          const existing = activeByKey.get(start.dedupeKey);
          resolve(existing ? { run: existing, reused: true } : undefined);
        }
      }
    } catch (error) {
      for (const { reject } of batch) reject(error);
    }
  }

  /** The committed batch's outbox rows, each run's command before its "queued" event, go to the relay at once. */
  private relayCommitted(inputs: StartInputRow[], written: InsertedStart[]): void {
    if (written.length === 0) return;
    const inputById = new Map(inputs.map((input) => [input.id, input]));
    const rows: ClaimedOutboxRow[] = [];
    for (const { run, outboxIds, queuedAtIso } of written) {
      const input = inputById.get(run.id);
      // Not expected (each inserted run has both rows): a pass claims whatever is left.
      if (!input || !outboxIds) return this.relay.kick();
      const traceContext = input.trace_context;
      // As the statement stored them: stamped with the run's queued_at.
      const command = { ...input.command_payload, queuedAt: queuedAtIso };
      const queued = { ...input.status_payload, occurredAt: queuedAtIso };
      rows.push(
        { id: outboxIds.command, subject: input.command_subject, messageId: input.command_message_id, payload: command, traceContext },
        { id: outboxIds.status, subject: input.status_subject, messageId: input.status_message_id, payload: queued, traceContext },
      );
    }
    this.relay.publishCommitted(rows);
  }
}

function toStartInput(start: PendingStart, names: JetStreamNames): StartInputRow {
  const queued = buildRunStatusEvent(
    {
      ...start,
      status: RunStatus.Queued,
      cancelRequested: false,
      totalItems: 0,
      succeededItems: 0,
      failedItems: 0,
      skippedItems: 0,
      error: null,
    },
    names,
    RunStatusEventKind.Transition,
  );
  return {
    id: start.id,
    tenant_id: start.tenantId,
    tenant_directory_id: start.tenantDirectoryId,
    type: start.type,
    target: start.target,
    scope: start.scope,
    scope_hash: start.scopeHash,
    dedupe_key: start.dedupeKey,
    initiator_user_id: start.initiatorUserId,
    initiator_email: start.initiatorEmail,
    command_subject: start.subject,
    command_message_id: start.messageId,
    command_payload: start.payload,
    status_subject: queued.subject,
    status_message_id: queued.messageId,
    status_payload: queued.payload,
    idempotency_anchor: start.idempotencyAnchor ?? null,
    trace_context: start.traceContext === undefined ? traceCarrier() : start.traceContext,
  };
}

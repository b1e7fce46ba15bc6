import { Inject, Injectable } from '@nestjs/common';
import type { RunStatusEvent } from '@policyvault/contracts';
import { JETSTREAM, JETSTREAM_MANAGER, JETSTREAM_NAMES, type JetStreamClient, type JetStreamManager, type JetStreamNames } from '@policyvault/platform';
import { readRunStatusEvent } from './run-status-event.reader.js';

/** Where the run-status stream stands: the oldest stored event and the newest (0 when empty). */
export interface StreamBounds {
  first: number;
  last: number;
}

export interface StoredRunStatusEvent {
  seq: number;
  event: RunStatusEvent;
  /** The event as one line of JSON, ready for an SSE `data:` line. */
  data: string;
  /** When JetStream stored it (ms since the epoch). */
  storedAtMs: number;
}

export interface FeedSubscription {
  /**
   * Resolves true once every message up to `seq` has been read (delivered or skipped), false when
   * that takes longer than `timeoutMs`.
   */
  reached(seq: number, timeoutMs: number): Promise<boolean>;
  /** Stops delivery and deletes the consumer on the server. */
  close(): Promise<void>;
}

// Server-side consumers of connections that vanished without a close (a crashed replica) go away after this.
const INACTIVE_THRESHOLD_MS = 60_000;
// Messages requested from the server at a time; the connection's byte bound (SseStream) is what limits memory.
const PULL_BATCH = 256;
// Every open stream of a tenant reads the same messages: each is parsed and serialized once per
// process, for the most recent sequences.
const DECODED_CACHE_SIZE = 4096;

/**
 * One tenant's run events from JetStream (`<NS>_RUN_STATUS`: transitions on `<ns>.evt.run.status.v1.<tenantId>`,
 * progress on `<ns>.evt.run.progress.v1.<tenantId>`; one filter `<ns>.evt.run.*.v1.<tenantId>` takes both),
 * through an ordered consumer of its own per open stream: memory-only, no acks, one filter subject
 * (NATS 2.9 allows no more), created at a chosen sequence and deleted when the stream closes.
 */
@Injectable()
export class RunStatusFeed {
  private readonly decoded = new Map<number, StoredRunStatusEvent | null>();

  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
  ) {}

  async bounds(): Promise<StreamBounds> {
    const { state } = await this.jsm.streams.info(this.names.runStatusStream);
    return { first: state.first_seq, last: state.last_seq };
  }

  /** The sequence of the tenant's newest stored event (transition or progress); 0 when it has none. */
  async lastSequenceOf(tenantId: string): Promise<number> {
    const message = await this.jsm.streams.getMessage(this.names.runStatusStream, { last_by_subj: this.names.runEventsOfTenant(tenantId) });
    return message?.seq ?? 0;
  }

  /** The event stored at `seq`, or null (none there any more, or not a run event). */
  async eventAt(seq: number): Promise<StoredRunStatusEvent | null> {
    if (seq < 1) return null;
    const message = await this.jsm.streams.getMessage(this.names.runStatusStream, { seq });
    return message ? this.decode(message.seq, message.string(), message.time.getTime()) : null;
  }

  private decode(seq: number, payload: string, storedAtMs: number): StoredRunStatusEvent | null {
    if (this.decoded.has(seq)) return this.decoded.get(seq)!;
    const event = readRunStatusEvent(payload);
    const stored = event ? { seq, event, data: JSON.stringify(event), storedAtMs } : null;
    if (this.decoded.size >= DECODED_CACHE_SIZE) this.decoded.delete(this.decoded.keys().next().value as number);
    this.decoded.set(seq, stored);
    return stored;
  }

  /** Calls `deliver` for each event of the tenant from `fromSeq` on, in stream order; malformed ones are skipped. */
  async follow(tenantId: string, fromSeq: number, deliver: (stored: StoredRunStatusEvent) => void): Promise<FeedSubscription> {
    const consumer = await this.js.consumers.get(this.names.runStatusStream, {
      filter_subjects: this.names.runEventsOfTenant(tenantId),
      opt_start_seq: Math.max(1, fromSeq),
      inactive_threshold: INACTIVE_THRESHOLD_MS,
    });
    let readThrough = fromSeq - 1;
    const waiters = new Set<() => void>();
    const messages = await consumer.consume({
      max_messages: PULL_BATCH,
      callback: (message) => {
        readThrough = message.seq;
        const stored = this.decode(message.seq, message.string(), Number(message.timestampNanos / 1_000_000n));
        if (stored && stored.event.tenantId === tenantId) deliver(stored);
        for (const waiter of waiters) waiter();
      },
    });
    return {
      reached(seq, timeoutMs) {
        if (readThrough >= seq) return Promise.resolve(true);
        return new Promise((resolve) => {
          const done = (answer: boolean) => {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(answer);
          };
          const check = () => {
            if (readThrough >= seq) done(true);
          };
          const timer = setTimeout(() => done(false), timeoutMs);
          waiters.add(check);
        });
      },
      async close() {
        messages.stop();
        await consumer.delete().catch(() => undefined);
      },
    };
  }
}

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
  /** When JetStream stored it (ms since the epoch). */
  storedAtMs: number;
}

export interface FeedSubscription {
  /** Stops delivery and deletes the consumer on the server. */
  close(): Promise<void>;
}

// Server-side consumers of connections that vanished without a close (a crashed replica) go away after this.
const INACTIVE_THRESHOLD_MS = 60_000;
// Messages requested from the server at a time; the connection's byte bound (SseStream) is what limits memory.
const PULL_BATCH = 256;

/**
 * One tenant's run events from JetStream (`<NS>_RUN_STATUS`: transitions on `<ns>.evt.run.status.v1.<tenantId>`,
 * progress on `<ns>.evt.run.progress.v1.<tenantId>`; one filter `<ns>.evt.run.*.v1.<tenantId>` takes both),
 * through an ordered consumer of its own per open stream: memory-only, no acks, one filter subject
 * (NATS 2.9 allows no more), created at a chosen sequence and deleted when the stream closes.
 */
@Injectable()
export class RunStatusFeed {
  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
  ) {}

  async bounds(): Promise<StreamBounds> {
    const { state } = await this.jsm.streams.info(this.names.runStatusStream);
    return { first: state.first_seq, last: state.last_seq };
  }

  /** Calls `deliver` for each event of the tenant from `fromSeq` on, in stream order; malformed ones are skipped. */
  async follow(tenantId: string, fromSeq: number, deliver: (stored: StoredRunStatusEvent) => void): Promise<FeedSubscription> {
    const consumer = await this.js.consumers.get(this.names.runStatusStream, {
      filter_subjects: this.names.runEventsOfTenant(tenantId),
      opt_start_seq: Math.max(1, fromSeq),
      inactive_threshold: INACTIVE_THRESHOLD_MS,
    });
    const messages = await consumer.consume({
      max_messages: PULL_BATCH,
      callback: (message) => {
        const event = readRunStatusEvent(message.string());
        if (!event || event.tenantId !== tenantId) return;
        deliver({ seq: message.seq, event, storedAtMs: Number(message.timestampNanos / 1_000_000n) });
      },
    });
    return {
      async close() {
        messages.stop();
        await consumer.delete().catch(() => undefined);
      },
    };
  }
}

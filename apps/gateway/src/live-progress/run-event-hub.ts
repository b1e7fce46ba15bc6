import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { JETSTREAM, JETSTREAM_MANAGER, JETSTREAM_NAMES, type JetStreamClient, type JetStreamManager, type JetStreamNames } from '@policyvault/platform';
import { RunEventDecoder, type StoredRunStatusEvent } from './run-event-decoder.js';

export interface HubListener {
  /** An event of the listener's tenant (and run), in stream order. Must not throw or wait. */
  deliver(stored: StoredRunStatusEvent): void;
  /** The shared subscription ended (NATS gave up on it): this listener gets nothing more. */
  lost(): void;
}

/** A listener's place in one tenant's (or run's) fan-out: it gets every event read after it joined (`position`). */
export interface HubMembership {
  leave(): void;
}

interface TenantListeners {
  all: Set<HubListener>;
  byRun: Map<string, Set<HubListener>>;
}

// Messages requested from the server at a time (no acks: an ordered consumer).
const PULL_BATCH = 1024;

/**
 * The one live subscription of this gateway process to every run event (transitions and progress
 * of all tenants): an ordered JetStream consumer on the run-status stream, filtered on
 * `<ns>.evt.run.*.v1.>` (one filter subject: NATS 2.9), memory-only, no acks, started right after
 * the stream's last sequence when the first live view opens (deliver "new", at a known position),
 * and kept until shutdown. Each event is decoded once and handed, in stream order, to the
 * listeners of its tenant and those of its run (a connection following many tenants, a user's
 * stream, joins each of them: still one subscription per process, and each event is looked up by
 * its tenant, not offered to every connection). Listeners only queue (bounded, per connection), so
 * one slow connection delays nobody. Per-connection catch-up from the stream (resume) is
 * RunStatusFeed's; this is only the live edge.
 */
@Injectable()
export class RunEventHub implements BeforeApplicationShutdown {
  private readonly logger = new Logger('RunEventHub');
  private readonly tenants = new Map<string, TenantListeners>();
  private starting: Promise<void> | undefined;
  private consumer: Consumer | undefined;
  private messages: ConsumerMessages | undefined;
  private stopping = false;
  private readThrough = 0;

  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
    private readonly decoder: RunEventDecoder,
  ) {}

  /** The last stream sequence the hub has read (delivered or skipped). */
  get position(): number {
    return this.readThrough;
  }

  /** Starts the shared subscription unless it runs; a failed start is retried by the next caller. */
  start(): Promise<void> {
    this.starting ??= this.subscribe().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  /** Adds a listener for one tenant's events, or one run's; call after `start()` resolved. */
  join(tenantId: string, runId: string | undefined, listener: HubListener): HubMembership {
    // The subscription ended between start() and here: nothing would ever come.
    if (!this.messages) queueMicrotask(() => listener.lost());
    let tenant = this.tenants.get(tenantId);
    if (!tenant) {
      tenant = { all: new Set(), byRun: new Map() };
      this.tenants.set(tenantId, tenant);
    }
    const set = runId === undefined ? tenant.all : tenant.byRun.get(runId) ?? tenant.byRun.set(runId, new Set()).get(runId)!;
    set.add(listener);
    return {
      leave: () => {
        set.delete(listener);
        if (runId !== undefined && set.size === 0) tenant.byRun.delete(runId);
        if (tenant.all.size === 0 && tenant.byRun.size === 0 && this.tenants.get(tenantId) === tenant) this.tenants.delete(tenantId);
      },
    };
  }

  private async subscribe(): Promise<void> {
    const { state } = await this.jsm.streams.info(this.names.runStatusStream);
    const consumer = await this.js.consumers.get(this.names.runStatusStream, {
      filter_subjects: this.names.runEventSubjects,
      opt_start_seq: state.last_seq + 1,
    });
    this.readThrough = state.last_seq;
    const messages = await consumer.consume({ max_messages: PULL_BATCH, callback: (message) => this.dispatch(message) });
    this.consumer = consumer;
    this.messages = messages;
    void messages.closed().then((error) => this.ended(messages, error));
  }

  private dispatch(message: JsMsg): void {
    this.readThrough = message.seq;
    const stored = this.decoder.decode(message.seq, message.subject, message.string(), Number(message.timestampNanos / 1_000_000n));
    if (!stored) return;
    const tenant = this.tenants.get(stored.event.tenantId);
    if (!tenant) return;
    for (const listener of tenant.all) this.deliverTo(listener, stored);
    const ofRun = tenant.byRun.get(stored.event.runId);
    if (ofRun) for (const listener of ofRun) this.deliverTo(listener, stored);
  }

  private deliverTo(listener: HubListener, stored: StoredRunStatusEvent): void {
    try {
      listener.deliver(stored);
    } catch (error) {
      // A throwing callback would stop the consumer for everyone.
      this.logger.error({ err: error as Error, seq: stored.seq }, 'live progress listener failed');
    }
  }

  /** The consumer gave up (not our stop): every listener is told, and the next live view starts a new one. */
  private ended(messages: ConsumerMessages, error: void | Error): void {
    if (this.stopping || this.messages !== messages) return;
    this.logger.warn({ err: error ? { name: error.name, message: error.message } : undefined }, 'run-status subscription ended; live views must reconnect');
    this.messages = undefined;
    this.starting = undefined;
    const listeners = [...this.tenants.values()].flatMap((tenant) => [...tenant.all, ...[...tenant.byRun.values()].flatMap((set) => [...set])]);
    this.tenants.clear();
    for (const listener of listeners) listener.lost();
  }

  /** Before the NATS connection drains; the server-side consumer is deleted rather than left to expire. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.messages?.stop();
    await this.consumer?.delete().catch(() => undefined);
  }
}

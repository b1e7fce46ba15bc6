import { Inject, Injectable } from '@nestjs/common';
import type { Consumer, ConsumerMessages } from '@nats-io/jetstream';
import { JETSTREAM, JETSTREAM_MANAGER, JETSTREAM_NAMES, type JetStreamClient, type JetStreamManager, type JetStreamNames } from '@policyvault/platform';
import { RunEventDecoder, type StoredRunStatusEvent } from './run-event-decoder.js';
import { RunEventHub, type HubMembership } from './run-event-hub.js';

export type { StoredRunStatusEvent } from './run-event-decoder.js';

/** Where the run-status stream stands: the oldest stored event and the newest (0 when empty). */
export interface StreamBounds {
  first: number;
  last: number;
}

export interface FeedHandlers {
  /** Each event of the tenant (or run) from the start sequence on, once, in stream order. */
  deliver(stored: StoredRunStatusEvent): void;
  /** Nothing more will come: the live edge queued more than the bound while catching up, or the shared subscription ended. */
  lost(): void;
}

/** What a connection follows: some tenants, or one run of one tenant. */
export interface FeedScope {
  tenantIds: readonly string[];
  runId?: string;
}

export interface FeedSubscription {
  /**
   * Starts delivery at `fromSeq`. Until then, live events wait (bounded). What the live edge may
   * have passed before the subscription joined it is read from the stream first.
   */
  start(fromSeq: number): Promise<void>;
  /**
   * Resolves true once every message up to `seq` has been read (delivered or skipped), false when
   * that takes longer than `timeoutMs`.
   */
  reached(seq: number, timeoutMs: number): Promise<boolean>;
  /**
   * Changes the tenants followed while the subscription runs (access granted or revoked): events of
   * a removed tenant stop at once (also those held or being caught up); an added one's start at
   * the live edge. Not for a one-run subscription.
   */
  retarget(tenantIds: readonly string[]): void;
  /** Stops delivery (and deletes the catch-up consumer, if one is still reading). */
  close(): Promise<void>;
}

// A catch-up consumer of a connection that vanished without a close (a crashed replica) goes away after this.
const INACTIVE_THRESHOLD_MS = 60_000;
// Messages requested from the server at a time by a catch-up; the connection's byte bound (SseStream) limits memory.
const CATCH_UP_PULL_BATCH = 256;
const REACHED_POLL_MS = 10;

/**
 * One connection's run events, of one tenant (or one run of it) or of several (every tenant a user
 * sees): the live edge comes from the process's one shared subscription (RunEventHub), which the
 * connection joins once per tenant; a resume reads what the connection missed from the stream
 * itself, through a short-lived ordered consumer of its own (filter `<ns>.evt.run.*.v1.<tenantId>`,
 * or `<ns>.evt.run.*.v1.>` for several tenants, from the resume point up to where the live edge was
 * when the connection joined it), then switches to the live edge. The stream sequence is the event id, and the switch is on it: no gap, no repeat.
 */
@Injectable()
export class RunStatusFeed {
  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
    private readonly hub: RunEventHub,
    private readonly decoder: RunEventDecoder,
  ) {}

  async bounds(): Promise<StreamBounds> {
    const { state } = await this.jsm.streams.info(this.names.runStatusStream);
    return { first: state.first_seq, last: state.last_seq };
  }

  /**
   * The sequence of the newest stored event of these tenants (transition or progress); 0 when they
   * have none. More than one tenant: the stream's newest (it holds run events only).
   */
  async lastSequenceOf(tenantIds: readonly string[]): Promise<number> {
    if (tenantIds.length === 0) return 0;
    if (tenantIds.length > 1) return (await this.bounds()).last;
    const message = await this.jsm.streams.getMessage(this.names.runStatusStream, { last_by_subj: this.names.runEventsOfTenant(tenantIds[0]) });
    return message?.seq ?? 0;
  }

  /** The event stored at `seq`, or null (none there any more, or not a run event). */
  async eventAt(seq: number): Promise<StoredRunStatusEvent | null> {
    if (seq < 1) return null;
    const message = await this.jsm.streams.getMessage(this.names.runStatusStream, { seq });
    return message ? this.decoder.decode(message.seq, message.subject, message.string(), message.time.getTime()) : null;
  }

  /**
   * Joins the live edge for some tenants (or one run of one tenant) now, holding their events until
   * `start`. Joining first is what lets a caller take a snapshot afterwards and miss nothing.
   */
  async follow(scope: FeedScope, handlers: FeedHandlers, maxPendingBytes: number): Promise<FeedSubscription> {
    await this.hub.start();
    return new ConnectionFeed(this, this.hub, scope, handlers, maxPendingBytes);
  }

  /**
   * An ordered consumer of the tenants' events from `fromSeq`; see ConnectionFeed.readCatchUp. One
   * tenant: its subjects only. Several: every run event (one filter subject: NATS 2.9), the
   * connection keeps its tenants' (a resume reads what it missed, a short stretch of the stream).
   */
  catchUpConsumer(tenantIds: readonly string[], fromSeq: number): Promise<Consumer> {
    return this.js.consumers.get(this.names.runStatusStream, {
      filter_subjects: tenantIds.length === 1 ? this.names.runEventsOfTenant(tenantIds[0]) : this.names.runEventSubjects,
      opt_start_seq: Math.max(1, fromSeq),
      inactive_threshold: INACTIVE_THRESHOLD_MS,
    });
  }

  decode(seq: number, subject: string, payload: string, storedAtMs: number): StoredRunStatusEvent | null {
    return this.decoder.decode(seq, subject, payload, storedAtMs);
  }
}

type Phase = 'joined' | 'catching_up' | 'live' | 'closed';

/** One connection's feed: held live events, the catch-up from the stream, then the live edge. */
class ConnectionFeed implements FeedSubscription {
  private phase: Phase = 'joined';
  /** The hub memberships, one per tenant followed; an event of a tenant not in here is not delivered. */
  private readonly memberships = new Map<string, HubMembership>();
  /** Where the live edge was when the connection joined it (before `start`). */
  private readonly joinedAfter: number;
  private readonly held: StoredRunStatusEvent[] = [];
  private heldBytes = 0;
  /** The last sequence handed to `deliver` (or skipped as before the start). */
  private deliveredThrough = Number.MAX_SAFE_INTEGER;
  /** The last sequence the catch-up has read. */
  private caughtUpThrough = 0;
  private catchUp: { consumer: Consumer; messages: ConsumerMessages } | undefined;

  constructor(
    private readonly feed: RunStatusFeed,
    private readonly hub: RunEventHub,
    private readonly scope: FeedScope,
    private readonly handlers: FeedHandlers,
    private readonly maxPendingBytes: number,
  ) {
    this.joinedAfter = hub.position;
    this.join(scope.tenantIds);
  }

  private join(tenantIds: readonly string[]): void {
    const listener = { deliver: (stored: StoredRunStatusEvent) => this.fromLiveEdge(stored), lost: () => this.lose() };
    for (const tenantId of tenantIds) {
      if (!this.memberships.has(tenantId)) this.memberships.set(tenantId, this.hub.join(tenantId, this.scope.runId, listener));
    }
  }

  retarget(tenantIds: readonly string[]): void {
    if (this.phase === 'closed') return;
    const wanted = new Set(tenantIds);
    for (const [tenantId, membership] of this.memberships) {
      if (wanted.has(tenantId)) continue;
      membership.leave();
      this.memberships.delete(tenantId);
    }
    this.join(tenantIds);
  }

  async start(fromSeq: number): Promise<void> {
    if (this.phase !== 'joined') return;
    this.deliveredThrough = fromSeq - 1;
    const joinedAfter = this.joinedAfter;
    // The live edge holds everything after `joinedAfter`; the stream is read only for what lies before it.
    if (fromSeq > joinedAfter) return this.goLive();
    this.phase = 'catching_up';
    const tenantIds = [...this.memberships.keys()];
    const tenantLast = await this.feed.lastSequenceOf(tenantIds);
    if (this.phase !== 'catching_up') return;
    if (tenantLast < fromSeq) return this.goLive();
    await this.readCatchUp(tenantIds, fromSeq, Math.min(tenantLast, joinedAfter), joinedAfter);
  }

  /**
   * Reads the tenants' stored events from `fromSeq` up to `until` (their newest, or where the live
   * edge was when this joined, whichever is first), delivering those at or before `joinedAfter`
   * (later ones are the live edge's), then switches to the live edge.
   */
  private async readCatchUp(tenantIds: readonly string[], fromSeq: number, until: number, joinedAfter: number): Promise<void> {
    const consumer = await this.feed.catchUpConsumer(tenantIds, fromSeq);
    if (this.phase !== 'catching_up') {
      await consumer.delete().catch(() => undefined);
      return;
    }
    const messages = await consumer.consume({
      max_messages: CATCH_UP_PULL_BATCH,
      callback: (message) => {
        if (this.phase !== 'catching_up') return;
        this.caughtUpThrough = message.seq;
        if (message.seq <= joinedAfter) {
          const stored = this.feed.decode(message.seq, message.subject, message.string(), Number(message.timestampNanos / 1_000_000n));
          if (stored) this.emit(stored);
        }
        // Nothing pending: `until` is no longer stored (retention); what there was has been read.
        if (message.seq >= until || message.info.pending === 0) {
          this.caughtUpThrough = Math.max(this.caughtUpThrough, joinedAfter);
          this.stopCatchUp();
          this.goLive();
        }
      },
    });
    this.catchUp = { consumer, messages };
    if (this.phase !== 'catching_up') this.stopCatchUp();
  }

  private stopCatchUp(): void {
    const catchUp = this.catchUp;
    this.catchUp = undefined;
    if (!catchUp) return;
    catchUp.messages.stop();
    void catchUp.consumer.delete().catch(() => undefined);
  }

  private goLive(): void {
    if (this.phase === 'closed') return;
    this.phase = 'live';
    for (const stored of this.held.splice(0)) this.emit(stored);
    this.heldBytes = 0;
  }

  private fromLiveEdge(stored: StoredRunStatusEvent): void {
    if (this.phase === 'live') {
      this.emit(stored);
      return;
    }
    if (this.phase === 'closed') return;
    this.held.push(stored);
    this.heldBytes += stored.data.length;
    if (this.heldBytes > this.maxPendingBytes) this.lose();
  }

  private emit(stored: StoredRunStatusEvent): void {
    if (stored.seq <= this.deliveredThrough) return;
    // A tenant no longer followed (revoked), or another tenant's event read by a catch-up over all tenants.
    if (!this.memberships.has(stored.event.tenantId)) return;
    this.deliveredThrough = stored.seq;
    this.handlers.deliver(stored);
  }

  private lose(): void {
    if (this.phase === 'closed') return;
    void this.close();
    this.handlers.lost();
  }

  async reached(seq: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (seq <= this.caughtUpThrough || (this.phase === 'live' && seq <= this.hub.position)) return true;
      if (this.phase === 'closed' || Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, REACHED_POLL_MS));
    }
  }

  async close(): Promise<void> {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    for (const membership of this.memberships.values()) membership.leave();
    this.memberships.clear();
    this.held.length = 0;
    const catchUp = this.catchUp;
    this.catchUp = undefined;
    if (catchUp) {
      catchUp.messages.stop();
      await catchUp.consumer.delete().catch(() => undefined);
    }
  }
}

import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { MAX_ACTIVE_RUNS, MAX_ACTIVE_RUNS_TENANTS, RunStatus, TERMINAL_RUN_STATUSES, type ActiveRunsReply } from '@policyvault/contracts';
import type { AuthenticatedIdentity } from '../auth/authenticated-identity.js';
import { DirectoryUserLookup } from '../auth/directory-user.lookup.js';
import { openRaw, type StreamResponse } from '../common/http-response.js';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { GatewayConfig } from '../gateway.config.js';
import { RunServiceClient } from '../runs/run-service.client.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { TenantAccessService } from '../tenants/tenant-access.service.js';
import { RunProgressOrder } from './run-progress-order.js';
import { RunStatusFeed, type FeedSubscription, type StoredRunStatusEvent } from './run-status-feed.js';
import { SseStream, type SseLimits } from './sse-stream.js';
import { StreamSlots } from './stream-slots.js';

/** A tenant's stream (every run of it), or one run's; where it resumes, if it does. */
export interface TenantStreamRequest {
  access: TenantAccess;
  runId?: string;
  /** The sequence of the last event the client got (Last-Event-ID). */
  lastEventId?: number;
}

/** A user's stream: every run of every tenant they see (memberships; every tenant for an administrator). */
export interface UserStreamRequest {
  identity: AuthenticatedIdentity;
  lastEventId?: number;
}

export const SNAPSHOT_EVENT = 'snapshot';
export const RUN_STATUS_EVENT = 'run-status';
/** A user's stream: the tenants it follows, first and whenever that changes. */
export const TENANTS_EVENT = 'tenants';
// How long a reconnect to an ended run may take to read what the client missed before it is answered.
const CATCH_UP_TIMEOUT_MS = 2000;

const isTerminal = (status: RunStatus) => TERMINAL_RUN_STATUSES.includes(status);
const tenantsFrame = (tenantIds: readonly string[]) => SseStream.frame(TENANTS_EVENT, undefined, JSON.stringify({ tenantIds }));

/** How one stream is opened and kept: what it follows, and how it learns that the caller's access changed. */
interface StreamPlan {
  /** The tenants followed; a one-run stream follows exactly one. */
  tenantIds: string[];
  runId?: string;
  lastEventId?: number;
  /** Written first on every connection (not a position in the stream: no id). */
  preamble?: string;
  /** On every heartbeat: whether the caller may still see what the stream follows. */
  recheck(sse: SseStream, subscription: FeedSubscription): void;
  /** What a log line about the stream names. */
  log: Record<string, string | undefined>;
}

/**
 * Live progress as server-sent events, of a tenant's runs (or one run), or of every tenant a user
 * sees on ONE connection (GET /api/runs/events: an administrator of hundreds of tenants holds one
 * stream, not one per tenant). Both are the same mechanism. Opening: join the process's live
 * fan-out of run events first (its events wait, bounded), then read where the status stream
 * stands, then take a snapshot of the active runs of the followed tenants from run-service (one
 * request), then deliver from just after that point (so nothing between the three is missed; what
 * the snapshot already shows is dropped as "behind"). A reconnect with Last-Event-ID skips the
 * snapshot and is replayed from the next sequence (read from the stream up to the live edge, then
 * the live edge), unless those events are no longer stored (then it starts over). Everything that
 * can fail with an HTTP status does so before the first byte is sent.
 *
 * A one-run stream ends once the client has the run's end: after the terminal event, or right after
 * the snapshot when the run had already ended. A reconnect to an ended run (EventSource reconnects
 * after every end) is answered 204, which tells a browser to stop, unless the client missed part of
 * the end: then that is replayed first and the stream ends again.
 *
 * Access is checked again on every heartbeat (through the membership caches): a tenant stream whose
 * membership was revoked ends; a user stream stops that tenant's events, starts those of a tenant
 * granted meanwhile, and tells the client with a `tenants` event.
 */
@Injectable()
export class LiveProgressService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('LiveProgress');
  private readonly open = new Set<SseStream>();
  private readonly frames = new WeakMap<StoredRunStatusEvent, string>();
  private readonly limits: SseLimits;
  private readonly slots: StreamSlots;

  constructor(
    private readonly feed: RunStatusFeed,
    private readonly runService: RunServiceClient,
    private readonly tenants: TenantAccessService,
    private readonly directoryUsers: DirectoryUserLookup,
    config: GatewayConfig,
  ) {
    this.limits = {
      heartbeatMs: config.SSE_HEARTBEAT_MS,
      drainTimeoutMs: config.SSE_DRAIN_TIMEOUT_MS,
      maxBufferedBytes: config.SSE_MAX_BUFFERED_BYTES,
    };
    this.slots = new StreamSlots(config.SSE_MAX_STREAMS_PER_USER);
  }

  get openStreams(): number {
    return this.open.size;
  }

  streamTenant({ access, runId, lastEventId }: TenantStreamRequest, response: StreamResponse): Promise<void> {
    return this.stream(access.userId, response, async () => ({
      tenantIds: [access.tenantId],
      runId,
      lastEventId,
      recheck: (sse) => this.recheckMembership(access, sse),
      log: { tenantId: access.tenantId, runId },
    }));
  }

  streamUser({ identity, lastEventId }: UserStreamRequest, response: StreamResponse): Promise<void> {
    return this.stream(identity.userId ?? identity.email, response, async () => {
      let following = await this.visibleTenantIds(identity);
      let checking = false;
      return {
        tenantIds: following,
        lastEventId,
        preamble: tenantsFrame(following),
        recheck: (sse, subscription) => {
          if (checking) return;
          checking = true;
          this.visibleTenantIds(identity)
            .then(
              (tenantIds) => {
                if (!sse.isOpen || sameMembers(tenantIds, following)) return;
                following = tenantIds;
                subscription.retarget(tenantIds);
                sse.sendFrame(tenantsFrame(tenantIds));
              },
              () => undefined,
            )
            .finally(() => (checking = false));
        },
        log: { userId: identity.userId ?? undefined },
      };
    });
  }

  /** 429 when the caller holds SSE_MAX_STREAMS_PER_USER streams on this process already; the slot is freed when the stream ends. */
  private async stream(holder: string, response: StreamResponse, plan: () => Promise<StreamPlan>): Promise<void> {
    const release = this.slots.take(holder);
    let opened = false;
    try {
      opened = await this.follow(await plan(), response, release);
    } finally {
      if (!opened) release();
    }
  }

  /** True once the stream opened (its end releases the slot), false when it was answered otherwise (204). */
  private async follow(plan: StreamPlan, response: StreamResponse, release: () => void): Promise<boolean> {
    const { tenantIds, runId, lastEventId } = plan;
    // Until the response opens, events wait here, in order; a feed lost meanwhile drops the stream once open.
    const early: StoredRunStatusEvent[] = [];
    let deliver: (stored: StoredRunStatusEvent) => void = (stored) => early.push(stored);
    let lostBeforeOpen = false;
    let lost: () => void = () => (lostBeforeOpen = true);
    const subscription = await this.fromBroker(() =>
      this.feed.follow({ tenantIds, runId }, { deliver: (stored) => deliver(stored), lost: () => lost() }, this.limits.maxBufferedBytes),
    );
    const order = new RunProgressOrder();
    let sse: SseStream;
    try {
      const bounds = await this.fromBroker(() => this.feed.bounds());
      // Resumable when every event after the client's last one is still stored (and the id is of this stream).
      const resumes = lastEventId !== undefined && lastEventId >= bounds.first - 1 && lastEventId <= bounds.last;
      const run = runId ? await this.runService.get({ tenantId: tenantIds[0], runId }) : undefined;
      const snapshot: ActiveRunsReply = run ? { runs: [run], truncated: false } : resumes ? { runs: [], truncated: false } : await this.activeRuns(tenantIds);
      if (!resumes) for (const view of snapshot.runs) order.accept({ runId: view.id, status: view.status, counts: view.counts });
      const snapshotFrame = SseStream.frame(SNAPSHOT_EVENT, bounds.last, JSON.stringify(snapshot));
      if (run && !resumes && isTerminal(run.status)) {
        void subscription.close();
        this.open200(plan, response, release, subscription).sendFrameThenClose(snapshotFrame);
        return true;
      }
      await this.fromBroker(() => subscription.start((resumes ? lastEventId : bounds.last) + 1));
      if (run && resumes && isTerminal(run.status) && (await this.clientHasTheEnd(run.tenantId, run.id, lastEventId, subscription, early))) {
        void subscription.close();
        // Nothing more will come: 204, written by hand like the stream it stands for.
        const raw = openRaw(response);
        raw.statusCode = 204;
        raw.end();
        return false;
      }
      sse = this.open200(plan, response, () => {
        release();
        void subscription.close();
      }, subscription);
      if (!resumes) sse.sendFrame(snapshotFrame);
    } catch (error) {
      void subscription.close();
      throw error;
    }

    deliver = (stored) => {
      if (runId !== undefined && stored.event.runId !== runId) return;
      if (!order.accept(stored.event)) return;
      if (runId !== undefined && isTerminal(stored.event.status)) sse.sendFrameThenClose(this.frameOf(stored));
      else sse.sendFrame(this.frameOf(stored));
    };
    lost = () => sse.drop();
    for (const stored of early.splice(0)) deliver(stored);
    if (lostBeforeOpen) sse.drop();
    return true;
  }

  /** The run-status event as written on the wire, formatted once for every stream it goes to. */
  private frameOf(stored: StoredRunStatusEvent): string {
    let frame = this.frames.get(stored);
    if (frame === undefined) {
      frame = SseStream.frame(RUN_STATUS_EVENT, stored.seq, stored.data);
      this.frames.set(stored, frame);
    }
    return frame;
  }

  /** Opens the event stream (200) and keeps track of it until it ends. */
  private open200(plan: StreamPlan, response: StreamResponse, onEnd: () => void, subscription: FeedSubscription): SseStream {
    const sse = new SseStream(openRaw(response), this.limits, () => plan.recheck(sse, subscription));
    this.open.add(sse);
    sse.onEnd((reason) => {
      this.open.delete(sse);
      onEnd();
      if (reason === 'too_slow') this.logger.log(plan.log, 'live progress client too slow; disconnected');
    });
    sse.open();
    if (plan.preamble) sse.sendFrame(plan.preamble);
    return sse;
  }

  /**
   * A reconnect to a run that has ended: whether the client already has its end. It has not when the
   * stream holds events of the run after the client's last one (they are replayed), or when that last
   * one was a non-terminal event of the run: run-service records the end before its relay puts the
   * terminal event on the stream, and the stream then waits for it. Reading what the client missed
   * is bounded in time; when it takes longer, the stream opens and replays.
   */
  private async clientHasTheEnd(
    tenantId: string,
    runId: string,
    lastEventId: number,
    subscription: FeedSubscription,
    early: StoredRunStatusEvent[],
  ): Promise<boolean> {
    const tenantLast = await this.fromBroker(() => this.feed.lastSequenceOf([tenantId]));
    if (tenantLast > lastEventId && !(await subscription.reached(tenantLast, CATCH_UP_TIMEOUT_MS))) return false;
    if (early.some((stored) => stored.event.runId === runId)) return false;
    const last = await this.fromBroker(() => this.feed.eventAt(lastEventId));
    return !(last && last.event.runId === runId && !isTerminal(last.event.status));
  }

  private async fromBroker<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      this.logger.warn({ err: { name: (error as Error).name, message: (error as Error).message } }, 'run-status stream not available');
      throw new GatewayException(GatewayErrorCode.UpstreamUnavailable, 'the run status stream (NATS JetStream) is not available; try again');
    }
  }

  /** Streams end with the process; clients reconnect to another replica with Last-Event-ID. */
  beforeApplicationShutdown(): void {
    for (const sse of [...this.open]) sse.close();
  }

  /**
   * The snapshot: the newest MAX_ACTIVE_RUNS queued and running runs of the tenants, in one request
   * to run-service (one per MAX_ACTIVE_RUNS_TENANTS tenants for a directory larger than that).
   */
  private async activeRuns(tenantIds: string[]): Promise<ActiveRunsReply> {
    if (tenantIds.length === 0) return { runs: [], truncated: false };
    const replies: ActiveRunsReply[] = [];
    for (let from = 0; from < tenantIds.length; from += MAX_ACTIVE_RUNS_TENANTS) {
      replies.push(await this.runService.activeRuns({ tenantIds: tenantIds.slice(from, from + MAX_ACTIVE_RUNS_TENANTS), limit: MAX_ACTIVE_RUNS }));
    }
    if (replies.length === 1) return replies[0];
    const runs = replies.flatMap((reply) => reply.runs).sort((a, b) => b.queuedAt.localeCompare(a.queuedAt));
    return { runs: runs.slice(0, MAX_ACTIVE_RUNS), truncated: runs.length > MAX_ACTIVE_RUNS || replies.some((reply) => reply.truncated) };
  }

  /** Every tenant the caller sees now: memberships, or every tenant for an administrator (directory role read again, cached). */
  private async visibleTenantIds(identity: AuthenticatedIdentity): Promise<string[]> {
    const user = await this.directoryUsers.find(identity.email);
    const visibility = await this.tenants.visibility({ email: identity.email, userId: user.userId, directoryRole: user.directoryRole });
    return visibility?.tenantIds ?? [];
  }

  /** A membership revoked while the stream is open ends it (within the membership cache's time to live). */
  private recheckMembership(access: TenantAccess, sse: SseStream): void {
    this.tenants.find(access.email, access.tenantId).then(
      (current) => {
        if (!current) sse.close();
      },
      () => undefined,
    );
  }
}

function sameMembers(next: readonly string[], current: readonly string[]): boolean {
  if (next.length !== current.length) return false;
  const known = new Set(current);
  return next.every((tenantId) => known.has(tenantId));
}

import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Response } from 'express';
import { RunStatus, TERMINAL_RUN_STATUSES, type RunView } from '@policyvault/contracts';
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

/** What one stream follows: a whole tenant, or one run of it; where it resumes, if it does. */
export interface LiveProgressRequest {
  access: TenantAccess;
  runId?: string;
  /** The sequence of the last event the client got (Last-Event-ID). */
  lastEventId?: number;
}

export const SNAPSHOT_EVENT = 'snapshot';
export const RUN_STATUS_EVENT = 'run-status';
// The snapshot lists active runs only; a tenant with more is one that needs paging, not a stream.
const SNAPSHOT_PAGE_SIZE = 200;
const SNAPSHOT_MAX_PAGES = 5;
// How long a reconnect to an ended run may take to read what the client missed before it is answered.
const CATCH_UP_TIMEOUT_MS = 2000;

const isTerminal = (status: RunStatus) => TERMINAL_RUN_STATUSES.includes(status);

/**
 * Live progress of a tenant's runs (or one run) as server-sent events. Opening: join the process's
 * live fan-out of run events first (its events wait, bounded), then read where the status stream
 * stands, then take a snapshot of the active runs from run-service, then deliver from just after
 * that point (so nothing between the three is missed; what the snapshot already shows is dropped as
 * "behind"). A reconnect with Last-Event-ID skips the snapshot and is replayed from the next
 * sequence (read from the stream up to the live edge, then the live edge), unless those events are
 * no longer stored (then it starts over). Everything that can fail with an HTTP status does so
 * before the first byte is sent.
 *
 * A one-run stream ends once the client has the run's end: after the terminal event, or right after
 * the snapshot when the run had already ended. A reconnect to an ended run (EventSource reconnects
 * after every end) is answered 204, which tells a browser to stop, unless the client missed part of
 * the end: then that is replayed first and the stream ends again.
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

  /** 429 when the caller holds SSE_MAX_STREAMS_PER_USER streams on this process already; the slot is freed when the stream ends. */
  async stream(request: LiveProgressRequest, response: Response): Promise<void> {
    const release = this.slots.take(request.access.userId);
    let opened = false;
    try {
      opened = await this.follow(request, response, release);
    } finally {
      if (!opened) release();
    }
  }

  /** True once the stream opened (its end releases the slot), false when it was answered otherwise (204). */
  private async follow({ access, runId, lastEventId }: LiveProgressRequest, response: Response, release: () => void): Promise<boolean> {
    // Until the response opens, events wait here, in order; a feed lost meanwhile drops the stream once open.
    const early: StoredRunStatusEvent[] = [];
    let deliver: (stored: StoredRunStatusEvent) => void = (stored) => early.push(stored);
    let lostBeforeOpen = false;
    let lost: () => void = () => (lostBeforeOpen = true);
    const subscription = await this.fromBroker(() =>
      this.feed.follow(access.tenantId, runId, { deliver: (stored) => deliver(stored), lost: () => lost() }, this.limits.maxBufferedBytes),
    );
    const order = new RunProgressOrder();
    let sse: SseStream;
    try {
      const bounds = await this.fromBroker(() => this.feed.bounds());
      // Resumable when every event after the client's last one is still stored (and the id is of this stream).
      const resumes = lastEventId !== undefined && lastEventId >= bounds.first - 1 && lastEventId <= bounds.last;
      const run = runId ? await this.runService.get({ tenantId: access.tenantId, runId }) : undefined;
      const runs = run ? [run] : resumes ? [] : await this.activeRuns(access.tenantId);
      if (!resumes) for (const view of runs) order.accept({ runId: view.id, status: view.status, counts: view.counts });
      if (run && !resumes && isTerminal(run.status)) {
        void subscription.close();
        this.open200(access, runId, response, release).sendFrameThenClose(SseStream.frame(SNAPSHOT_EVENT, bounds.last, JSON.stringify({ runs })));
        return true;
      }
      await this.fromBroker(() => subscription.start((resumes ? lastEventId : bounds.last) + 1));
      if (run && resumes && isTerminal(run.status) && (await this.clientHasTheEnd(access.tenantId, run.id, lastEventId, subscription, early))) {
        void subscription.close();
        response.status(204).end();
        return false;
      }
      sse = this.open200(access, runId, response, () => {
        release();
        void subscription.close();
      });
      if (!resumes) sse.send(SNAPSHOT_EVENT, bounds.last, JSON.stringify({ runs }));
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
  private open200(access: TenantAccess, runId: string | undefined, response: Response, onEnd: () => void): SseStream {
    const sse = new SseStream(response, this.limits, () => this.recheckMembership(access, sse));
    this.open.add(sse);
    sse.onEnd((reason) => {
      this.open.delete(sse);
      onEnd();
      if (reason === 'too_slow') this.logger.log({ tenantId: access.tenantId, runId }, 'live progress client too slow; disconnected');
    });
    sse.open();
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
    const tenantLast = await this.fromBroker(() => this.feed.lastSequenceOf(tenantId));
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

  private async activeRuns(tenantId: string): Promise<RunView[]> {
    const runs: RunView[] = [];
    for (const status of [RunStatus.Queued, RunStatus.Running]) {
      let cursor: string | undefined;
      for (let page = 0; page < SNAPSHOT_MAX_PAGES; page += 1) {
        const { items, nextCursor } = await this.runService.list({ tenantId, status, limit: SNAPSHOT_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
        runs.push(...items);
        if (!nextCursor) break;
        cursor = nextCursor;
      }
    }
    return runs;
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

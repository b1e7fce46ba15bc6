import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Response } from 'express';
import { RunStatus, type RunView } from '@policyvault/contracts';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { GatewayConfig } from '../gateway.config.js';
import { RunServiceClient } from '../runs/run-service.client.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { TenantAccessService } from '../tenants/tenant-access.service.js';
import { RunProgressOrder } from './run-progress-order.js';
import { RunStatusFeed, type StoredRunStatusEvent } from './run-status-feed.js';
import { SseStream, type SseLimits } from './sse-stream.js';

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

/**
 * Live progress of a tenant's runs (or one run) as server-sent events. Opening: read where the
 * status stream stands, then take a snapshot of the active runs from run-service, then follow the
 * stream from just after that point (so nothing between the two is missed; what the snapshot
 * already shows is dropped as "behind"). A reconnect with Last-Event-ID skips the snapshot and
 * replays from the next sequence, unless those events are no longer stored (then it starts over).
 * Everything that can fail with an HTTP status does so before the first byte is sent.
 */
@Injectable()
export class LiveProgressService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('LiveProgress');
  private readonly open = new Set<SseStream>();
  private readonly limits: SseLimits;

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
  }

  get openStreams(): number {
    return this.open.size;
  }

  async stream({ access, runId, lastEventId }: LiveProgressRequest, response: Response): Promise<void> {
    const bounds = await this.fromBroker(() => this.feed.bounds());
    // Resumable when every event after the client's last one is still stored (and the id is of this stream).
    const resumes = lastEventId !== undefined && lastEventId >= bounds.first - 1 && lastEventId <= bounds.last;
    const runs = runId ? [await this.runService.get({ tenantId: access.tenantId, runId })] : resumes ? [] : await this.activeRuns(access.tenantId);
    const order = new RunProgressOrder();
    if (!resumes) for (const run of runs) order.accept({ runId: run.id, status: run.status, counts: run.counts });

    // Events that arrive while the response is being opened wait here, in order.
    const early: StoredRunStatusEvent[] = [];
    let deliver = (stored: StoredRunStatusEvent) => void early.push(stored);
    const subscription = await this.fromBroker(() =>
      this.feed.follow(access.tenantId, (resumes ? lastEventId : bounds.last) + 1, (stored) => deliver(stored)),
    );

    const sse = new SseStream(response, this.limits, () => this.recheckMembership(access, sse));
    this.open.add(sse);
    sse.onEnd((reason) => {
      this.open.delete(sse);
      void subscription.close();
      if (reason === 'too_slow') this.logger.log({ tenantId: access.tenantId, runId }, 'live progress client too slow; disconnected');
    });
    sse.open();
    if (!resumes) sse.send(SNAPSHOT_EVENT, bounds.last, JSON.stringify({ runs }));
    deliver = (stored) => {
      if (runId !== undefined && stored.event.runId !== runId) return;
      if (!order.accept(stored.event)) return;
      sse.send(RUN_STATUS_EVENT, stored.seq, JSON.stringify(stored.event));
    };
    for (const stored of early.splice(0)) deliver(stored);
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

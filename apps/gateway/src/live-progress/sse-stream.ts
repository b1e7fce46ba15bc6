import type { ServerResponse } from 'node:http';
import { sseConnections, sseDisconnects } from './sse.metrics.js';

export interface SseLimits {
  /** A comment line this often, so proxies and clients see the stream is alive. */
  heartbeatMs: number;
  /** A socket that does not drain within this long after the buffer filled is dropped. */
  drainTimeoutMs: number;
  /** Bytes buffered for this client (not yet taken by its socket) before it is dropped. */
  maxBufferedBytes: number;
}

export type SseEndReason = 'client_closed' | 'server_closed' | 'too_slow';

// Events of a burst are written together: one write (syscall, TCP segment, client read) per client
// per window instead of one per event. Small next to the lag target; long enough to batch a busy tenant's events.
const WRITE_COALESCE_MS = 5;

/**
 * One server-sent events response. Writes never wait: what is sent within a few milliseconds is
 * queued and written to the socket as one chunk (a burst of events costs one syscall per client,
 * not one per event), and Node buffers what the socket has not taken yet. The
 * queue and that buffer together are bounded per client: a client that lets them grow past the
 * bound, or whose socket does not drain in time, is disconnected; it comes back with Last-Event-ID
 * and is replayed from the stream, so being slow costs it a reconnect and costs nobody else anything.
 */
export class SseStream {
  private drainTimer: NodeJS.Timeout | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private queued: string[] = [];
  private queuedBytes = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private ended = false;
  private endReason: SseEndReason = 'client_closed';
  private readonly endListeners: ((reason: SseEndReason) => void)[] = [];

  constructor(
    private readonly response: ServerResponse,
    private readonly limits: SseLimits,
    private readonly onHeartbeat: () => void = () => undefined,
  ) {}

  /** Sends the headers (200, text/event-stream) and the reconnection delay; from here on no error status is possible. */
  open(): void {
    const response = this.response;
    if (response.destroyed || !response.socket || response.socket.destroyed) {
      // The client left while the stream was being set up.
      this.finish();
      return;
    }
    response.statusCode = 200;
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.socket?.setNoDelay(true);
    response.on('close', () => this.finish());
    sseConnections.inc({});
    this.onEnd((reason) => {
      sseConnections.dec({});
      sseDisconnects.inc({ reason });
    });
    this.queue('retry: 2000\n\n');
    this.heartbeat = setInterval(() => {
      this.comment('heartbeat');
      this.onHeartbeat();
    }, this.limits.heartbeatMs);
  }

  get isOpen(): boolean {
    return !this.ended;
  }

  /**
   * One event as written on the wire; `data` must be a single line (JSON.stringify output is). Without
   * an id, the client's last event id stays what it was (an event that is not a position in the stream).
   */
  static frame(event: string, id: number | undefined, data: string): string {
    return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`;
  }

  send(event: string, id: number, data: string): void {
    this.queue(SseStream.frame(event, id, data));
  }

  /** A prepared `frame()`: one event fanned out to many streams is formatted once. */
  sendFrame(frame: string): void {
    this.queue(frame);
  }

  /** The last event of the stream: sent, then the response ends normally (the client reconnects, and is told 204). */
  sendFrameThenClose(frame: string): void {
    this.queue(frame);
    this.close();
  }

  comment(text: string): void {
    this.queue(`: ${text}\n\n`);
  }

  onEnd(listener: (reason: SseEndReason) => void): void {
    this.endListeners.push(listener);
  }

  /** Ends the response normally, after what is queued (shutdown, membership revoked, end of a run). */
  close(): void {
    if (this.ended) return;
    this.endReason = 'server_closed';
    this.response.end(this.takeQueued());
    this.finish();
  }

  /** Disconnects at once, dropping what is queued (a client too slow for its bound, a feed that cannot keep it whole). */
  drop(): void {
    if (this.ended) return;
    this.endReason = 'too_slow';
    this.takeQueued();
    this.response.destroy();
    this.finish();
  }

  private queue(chunk: string): void {
    if (this.ended) return;
    this.queued.push(chunk);
    this.queuedBytes += chunk.length;
    if (this.queuedBytes + this.response.writableLength > this.limits.maxBufferedBytes) {
      this.drop();
      return;
    }
    this.flushTimer ??= setTimeout(() => this.flush(), WRITE_COALESCE_MS);
  }

  private takeQueued(): string {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const chunk = this.queued.length === 1 ? this.queued[0] : this.queued.join('');
    this.queued = [];
    this.queuedBytes = 0;
    return chunk;
  }

  private flush(): void {
    this.flushTimer = undefined;
    if (this.ended || this.queued.length === 0) return;
    const flushed = this.response.write(this.takeQueued());
    if (!flushed && !this.drainTimer) {
      this.drainTimer = setTimeout(() => this.drop(), this.limits.drainTimeoutMs);
      this.response.once('drain', () => {
        clearTimeout(this.drainTimer);
        this.drainTimer = undefined;
      });
    }
  }

  private finish(): void {
    if (this.ended && this.heartbeat === undefined) return;
    this.ended = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.drainTimer);
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.queued = [];
    this.heartbeat = undefined;
    this.drainTimer = undefined;
    for (const listener of this.endListeners.splice(0)) listener(this.endReason);
  }
}

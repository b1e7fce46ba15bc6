import type { Response } from 'express';

export interface SseLimits {
  /** A comment line this often, so proxies and clients see the stream is alive. */
  heartbeatMs: number;
  /** A socket that does not drain within this long after the buffer filled is dropped. */
  drainTimeoutMs: number;
  /** Bytes buffered for this client (not yet taken by its socket) before it is dropped. */
  maxBufferedBytes: number;
}

export type SseEndReason = 'client_closed' | 'server_closed' | 'too_slow';

/**
 * One server-sent events response. Writes never wait: Node buffers what the socket has not taken
 * yet, and that buffer is bounded per client. A client that lets it grow past the bound, or whose
 * socket does not drain in time, is disconnected; it comes back with Last-Event-ID and is replayed
 * from the stream, so being slow costs it a reconnect and costs nobody else anything.
 */
export class SseStream {
  private drainTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private ended = false;
  private endReason: SseEndReason = 'client_closed';
  private readonly endListeners: ((reason: SseEndReason) => void)[] = [];

  constructor(
    private readonly response: Response,
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
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.socket?.setNoDelay(true);
    response.on('close', () => this.finish());
    this.write('retry: 2000\n\n');
    this.heartbeat = setInterval(() => {
      this.comment('heartbeat');
      this.onHeartbeat();
    }, this.limits.heartbeatMs);
  }

  get isOpen(): boolean {
    return !this.ended;
  }

  /** One event; `data` must be a single line (JSON.stringify output is). */
  send(event: string, id: number, data: string): void {
    this.write(`id: ${id}\nevent: ${event}\ndata: ${data}\n\n`);
  }

  /** The last event of the stream: sent, then the response ends normally (the client reconnects, and is told 204). */
  sendThenClose(event: string, id: number, data: string): void {
    this.send(event, id, data);
    this.close();
  }

  comment(text: string): void {
    this.write(`: ${text}\n\n`);
  }

  onEnd(listener: (reason: SseEndReason) => void): void {
    this.endListeners.push(listener);
  }

  /** Ends the response normally (shutdown, membership revoked). */
  close(): void {
    if (this.ended) return;
    this.endReason = 'server_closed';
    this.response.end();
    this.finish();
  }

  private drop(): void {
    if (this.ended) return;
    this.endReason = 'too_slow';
    this.response.destroy();
    this.finish();
  }

  private write(chunk: string): void {
    if (this.ended) return;
    const flushed = this.response.write(chunk);
    if (this.response.writableLength > this.limits.maxBufferedBytes) {
      this.drop();
      return;
    }
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
    this.heartbeat = undefined;
    this.drainTimer = undefined;
    for (const listener of this.endListeners.splice(0)) listener(this.endReason);
  }
}

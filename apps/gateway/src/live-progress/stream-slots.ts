import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';

/** How long a client refused for too many streams is told to wait (Retry-After). */
const RETRY_AFTER_SECONDS = 5;

/** The live streams each user holds open on this gateway process, capped (SSE_MAX_STREAMS_PER_USER). */
export class StreamSlots {
  private readonly held = new Map<string, number>();

  constructor(private readonly maxPerUser: number) {}

  /** A slot for one more stream of this user, or 429 when they hold the maximum; returns its release (once is enough). */
  take(userId: string): () => void {
    const count = this.held.get(userId) ?? 0;
    if (count >= this.maxPerUser) {
      throw new GatewayException(
        GatewayErrorCode.RateLimited,
        `too many live streams: at most ${this.maxPerUser} open at once per user on this gateway (SSE_MAX_STREAMS_PER_USER); close one first`,
        RETRY_AFTER_SECONDS,
      );
    }
    this.held.set(userId, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(userId) ?? 1) - 1;
      if (left > 0) this.held.set(userId, left);
      else this.held.delete(userId);
    };
  }
}

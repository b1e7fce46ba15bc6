export interface ThrottleLimits {
  requestsPerWindow: number;
  writesPerWindow: number;
  windowSeconds: number;
}

/** Intune's documented order of magnitude, per app and tenant. */
export const INTUNE_LIMITS: ThrottleLimits = { requestsPerWindow: 1000, writesPerWindow: 100, windowSeconds: 20 };

class SlidingWindow {
  private times: number[] = [];
  private head = 0;

  count(now: number, windowMs: number): number {
    while (this.head < this.times.length && this.times[this.head] <= now - windowMs) this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  /** Seconds until the oldest counted request leaves the window. */
  retryAfterSeconds(now: number, windowMs: number): number {
    const oldest = this.times[this.head] ?? now;
    return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
  }

  add(now: number): void {
    this.times.push(now);
  }
}

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Sliding-window budgets per app and tenant: every request counts against the request budget, writes
 * also against the write budget. Rejected requests are not counted.
 */
export class Throttler {
  private readonly windows = new Map<string, { requests: SlidingWindow; writes: SlidingWindow }>();
  private readonly perTenant = new Map<string, ThrottleLimits>();

  constructor(private defaults: ThrottleLimits) {}

  setDefaults(limits: ThrottleLimits): void {
    this.defaults = limits;
  }

  setTenantLimits(tenant: string, limits: ThrottleLimits | undefined): void {
    if (limits) this.perTenant.set(tenant, limits);
    else this.perTenant.delete(tenant);
    this.windows.clear();
  }

  limitsFor(tenant: string): ThrottleLimits {
    return this.perTenant.get(tenant) ?? this.defaults;
  }

  check(appId: string, tenant: string, write: boolean, now = Date.now()): ThrottleDecision {
    const limits = this.limitsFor(tenant);
    const windowMs = limits.windowSeconds * 1000;
    const key = `${appId}|${tenant}`;
    let state = this.windows.get(key);
    if (!state) {
      state = { requests: new SlidingWindow(), writes: new SlidingWindow() };
      this.windows.set(key, state);
    }
    if (state.requests.count(now, windowMs) >= limits.requestsPerWindow) {
      return { allowed: false, retryAfterSeconds: state.requests.retryAfterSeconds(now, windowMs) };
    }
    if (write && state.writes.count(now, windowMs) >= limits.writesPerWindow) {
      return { allowed: false, retryAfterSeconds: state.writes.retryAfterSeconds(now, windowMs) };
    }
    state.requests.add(now);
    if (write) state.writes.add(now);
    return { allowed: true };
  }

  reset(): void {
    this.windows.clear();
  }
}

import { hashString, seededRandom } from './random.js';

export interface FaultConfig {
  /** Uniform extra latency per request. */
  latencyMs?: { min: number; max: number };
  /** Share of requests answered 503 (0..1). */
  errorRate?: number;
  /** Retry-After (seconds) sent with injected 503s; none when absent. */
  retryAfterOn503Seconds?: number;
  /** Share of requests that never answer (the socket is closed after `hangMs`). */
  timeoutRate?: number;
  hangMs?: number;
  /** Share of 200 answers whose body is cut in the middle. */
  malformedJsonRate?: number;
  /** Share of requests whose connection is reset without an answer. */
  connectionResetRate?: number;
  /** Share of requests answered 429 regardless of the throttle budget (0..1). */
  throttleRate?: number;
  /** Share of 429 answers (budget or injected) sent without `Retry-After`, as some Intune 429s are (0..1). */
  throttleWithoutRetryAfter?: number;
  /** Object ids that fail with the given status on every request naming them. */
  failIds?: Record<string, number>;
  /** Seed for the fault dice (reproducible runs). */
  seed?: number;
}

export type FaultDecision = 'none' | 'error503' | 'timeout' | 'malformed' | 'reset';

export class FaultInjector {
  private readonly configs = new Map<string, { config: FaultConfig; random: () => number }>();
  /** Tenants whose Graph requests wait (after their latency) until the hold is released: `hold`. */
  private readonly holds = new Map<string, { released: Promise<void>; release: () => void }>();

  set(tenant: string, config: FaultConfig | undefined): void {
    if (!config) this.configs.delete(tenant);
    else this.configs.set(tenant, { config, random: seededRandom(config.seed ?? hashString(tenant)) });
  }

  get(tenant: string): FaultConfig | undefined {
    return this.configs.get(tenant)?.config;
  }

  latencyMs(tenant: string): number {
    const entry = this.configs.get(tenant);
    const latency = entry?.config.latencyMs;
    if (!entry || !latency) return 0;
    return latency.min + entry.random() * Math.max(0, latency.max - latency.min);
  }

  /** Connection-level fault for a whole HTTP request. */
  connectionFault(tenant: string): FaultDecision {
    const entry = this.configs.get(tenant);
    if (!entry) return 'none';
    const { config, random } = entry;
    if (config.connectionResetRate && random() < config.connectionResetRate) return 'reset';
    if (config.timeoutRate && random() < config.timeoutRate) return 'timeout';
    if (config.malformedJsonRate && random() < config.malformedJsonRate) return 'malformed';
    return 'none';
  }

  /** Answer-level fault for one request or batch item: a 503 or a failing id. */
  answerFault(tenant: string, path: string): { status: number; retryAfterSeconds?: number } | undefined {
    const entry = this.configs.get(tenant);
    if (!entry) return undefined;
    const { config, random } = entry;
    for (const [id, status] of Object.entries(config.failIds ?? {})) {
      if (path.split('/').includes(id)) return { status };
    }
    if (config.errorRate && random() < config.errorRate) return { status: 503, retryAfterSeconds: config.retryAfterOn503Seconds };
    return undefined;
  }

  /** An injected 429 for this request (`throttleRate`). */
  injectThrottle(tenant: string): boolean {
    const entry = this.configs.get(tenant);
    return Boolean(entry?.config.throttleRate && entry.random() < entry.config.throttleRate);
  }

  /** Whether this 429 goes without `Retry-After` (`throttleWithoutRetryAfter`). */
  omitRetryAfter(tenant: string): boolean {
    const entry = this.configs.get(tenant);
    return Boolean(entry?.config.throttleWithoutRetryAfter && entry.random() < entry.config.throttleWithoutRetryAfter);
  }

  /**
   * Holds the tenant's Graph requests until the returned function is called: a run stays active for exactly as long
   * as a test needs (a latency races the test's own steps on a busy host). Holding a held tenant joins its hold.
   */
  hold(tenant: string): () => void {
    let entry = this.holds.get(tenant);
    if (!entry) {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      entry = { released, release };
      this.holds.set(tenant, entry);
    }
    const held = entry;
    return () => {
      if (this.holds.get(tenant) === held) this.holds.delete(tenant);
      held.release();
    };
  }

  /** The tenant's hold's release, or undefined when it is not held. */
  heldUntil(tenant: string): Promise<void> | undefined {
    return this.holds.get(tenant)?.released;
  }

  hangMs(tenant: string): number {
    return this.configs.get(tenant)?.config.hangMs ?? 60_000;
  }
}

import type { INetworkModule } from '@azure/msal-node';
import { MsalTokenProvider, type GraphCredentials, type TokenProvider } from '../auth/token-provider.js';
import { DEFAULT_BACKOFF, type BackoffOptions } from '../http/backoff.js';
import { DEFAULT_THROTTLE_BACKOFF, type ThrottleBackoffOptions } from '../http/throttle-retry.js';
import { undiciGraphHttp } from '../http/graph-http.js';
import { INTUNE_PACING, type PacerOptions } from '../pacing/request-pacer.js';
import type { CircuitState, GraphClient } from './graph-client.js';
import { HttpGraphClient } from './http-graph-client.js';
import { DEFAULT_BREAKER, TenantContext, type BreakerOptions } from './tenant-context.js';
import { watchGraphClientFactory } from '../metrics/graph-factory.metrics.js';

export interface GraphClientFactoryOptions {
  credentials: GraphCredentials;
  /** `https://graph.microsoft.com` in production; the emulator's URL in development and tests. */
  graphBaseUrl?: string;
  /** `https://login.microsoftonline.com` (MSAL requires https; use `networkClient` to reach the emulator). */
  authorityHost?: string;
  /** MSAL's network module; `createRedirectingNetworkClient(emulatorUrl)` for the emulator. */
  networkClient?: INetworkModule;
  requestTimeoutMs?: number;
  /** Attempts per request, first included, for failures other than 429 (those are bounded by `throttle`). */
  maxAttempts?: number;
  /** Backoff between retries of timeouts, network failures and 5xx other than 503. */
  backoff?: BackoffOptions;
  /** Waiting out 429/503: backoff when Retry-After is absent, and the total budget before postponing. */
  throttle?: Partial<ThrottleBackoffOptions>;
  /** Per-tenant request pacing; `false` disables it (Retry-After is still honoured). */
  pacing?: PacerOptions | false;
  maxConcurrentRequestsPerTenant?: number;
  breaker?: Partial<BreakerOptions>;
  /** Most tenants kept (token cache, pacer, breaker); the least recently used is evicted and shut down. */
  maxTenants?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Clock and dice of the retries and the pacer (tests only). */
  now?: () => number;
  random?: () => number;
  /** Replaces MSAL (tests only). */
  tokenProviderFor?: (tenantId: string) => TokenProvider;
}

export interface GraphClientOptions extends GraphClientFactoryOptions {
  tenantId: string;
  readOnly?: boolean;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Hands out one client per customer directory. Clients of the same directory share its token cache,
 * pacer and circuit breaker; `readOnly` clients share them too but refuse every write before sending.
 */
export class GraphClientFactory {
  private readonly contexts = new Map<string, TenantContext>();
  private readonly stopMetrics: () => void;
  private readonly options: Required<Omit<GraphClientFactoryOptions, 'networkClient' | 'tokenProviderFor' | 'breaker' | 'throttle'>> &
    Pick<GraphClientFactoryOptions, 'networkClient' | 'tokenProviderFor'> & { breaker: BreakerOptions; throttle: ThrottleBackoffOptions };

  constructor(options: GraphClientFactoryOptions) {
    this.options = {
      credentials: options.credentials,
      graphBaseUrl: options.graphBaseUrl ?? 'https://graph.microsoft.com',
      authorityHost: options.authorityHost ?? 'https://login.microsoftonline.com',
      networkClient: options.networkClient,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      maxAttempts: options.maxAttempts ?? 5,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      throttle: { ...DEFAULT_THROTTLE_BACKOFF, ...options.throttle },
      pacing: options.pacing ?? INTUNE_PACING,
      maxConcurrentRequestsPerTenant: options.maxConcurrentRequestsPerTenant ?? 8,
      breaker: { ...DEFAULT_BREAKER, ...options.breaker },
      maxTenants: options.maxTenants ?? 500,
      sleep: options.sleep ?? defaultSleep,
      now: options.now ?? Date.now,
      random: options.random ?? Math.random,
      tokenProviderFor: options.tokenProviderFor,
    };
    this.stopMetrics = watchGraphClientFactory(this.contexts);
  }

  forTenant(tenantId: string, options: { readOnly?: boolean } = {}): GraphClient {
    return new HttpGraphClient(this.context(tenantId), {
      graphBaseUrl: this.options.graphBaseUrl,
      readOnly: options.readOnly ?? false,
      requestTimeoutMs: this.options.requestTimeoutMs,
      maxAttempts: this.options.maxAttempts,
      backoff: this.options.backoff,
      throttle: this.options.throttle,
      sleep: this.options.sleep,
      now: this.options.now,
      random: this.options.random,
      send: undiciGraphHttp,
    });
  }

  circuitState(tenantId: string): CircuitState {
    return this.contexts.get(tenantId)?.state() ?? 'closed';
  }

  get tenantCount(): number {
    return this.contexts.size;
  }

  /** Shuts every breaker down (timers) — call on service shutdown. */
  close(): void {
    for (const context of this.contexts.values()) context.shutdown();
    this.contexts.clear();
    this.stopMetrics();
  }

  private context(tenantId: string): TenantContext {
    if (!/^[A-Za-z0-9.-]{1,100}$/.test(tenantId)) throw new TypeError('tenantId must be a directory id or domain');
    const existing = this.contexts.get(tenantId);
    if (existing) {
      // Map order is insertion order: re-inserting marks the tenant as most recently used.
      this.contexts.delete(tenantId);
      this.contexts.set(tenantId, existing);
      return existing;
    }
    const tokenProvider =
      this.options.tokenProviderFor?.(tenantId) ??
      new MsalTokenProvider({
        tenantId,
        credentials: this.options.credentials,
        authorityHost: this.options.authorityHost,
        networkClient: this.options.networkClient,
      });
    const context = new TenantContext(tenantId, tokenProvider, this.options.pacing, this.options.maxConcurrentRequestsPerTenant, this.options.breaker, this.options.now);
    this.contexts.set(tenantId, context);
    while (this.contexts.size > this.options.maxTenants) {
      const [oldestId, oldest] = this.contexts.entries().next().value as [string, TenantContext];
      this.contexts.delete(oldestId);
      oldest.shutdown();
    }
    return context;
  }
}

/** A single client with its own tenant state (scripts, tests); services use a shared `GraphClientFactory`. */
export function createGraphClient(options: GraphClientOptions): GraphClient & { close(): void } {
  const factory = new GraphClientFactory(options);
  const client = factory.forTenant(options.tenantId, { readOnly: options.readOnly });
  return Object.assign(client, { close: () => factory.close() });
}

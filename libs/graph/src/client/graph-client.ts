import type { GraphError } from '../errors/graph-error.js';

export type GraphMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface GraphRequest {
  method: GraphMethod;
  /** `/beta/...` or `/v1.0/...` (relative to the Graph base URL), or an `@odata.nextLink` from Graph. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface GraphResponse<T = unknown> {
  status: number;
  body: T;
  requestId?: string;
}

export interface BatchRequestItem {
  id: string;
  method: GraphMethod;
  /** Relative to the version, as `$batch` wants it: `/deviceManagement/...`. */
  url: string;
  body?: unknown;
}

export type BatchItemResult =
  | { id: string; ok: true; status: number; body: unknown }
  | { id: string; ok: false; error: GraphError };

export type CircuitState = 'closed' | 'open' | 'halfOpen';

/**
 * Microsoft Graph for one customer directory. Every method throws only `GraphError` (or its subclasses
 * `TenantUnavailableError` — the tenant's breaker is open, or (`TenantThrottledError`) Graph kept throttling
 * past the throttle budget: postpone — and `ReadOnlyViolationError`).
 */
export interface GraphClient {
  readonly tenantId: string;
  readonly readOnly: boolean;
  /**
   * The Graph base URL requests go to, without a trailing slash (`https://graph.microsoft.com`, the
   * emulator's URL in tests): what `x@odata.bind` references must be built from.
   */
  readonly graphBaseUrl: string;
  request<T = unknown>(request: GraphRequest): Promise<GraphResponse<T>>;
  get<T = unknown>(path: string): Promise<T>;
  /** Every item of a collection, following `@odata.nextLink` to the end. */
  listAll<T = Record<string, unknown>>(path: string): Promise<T[]>;
  /**
   * Sends the requests through `$batch` (20 per call, for one API version), retrying throttled or failed
   * sub-requests after their own Retry-After; results come back in input order, one per request.
   */
  batch(apiVersion: 'beta' | 'v1.0', requests: BatchRequestItem[]): Promise<BatchItemResult[]>;
  circuitState(): CircuitState;
  /**
   * This client, its requests waiting for the tenant's budget and request slots behind those of clients with a lower
   * priority number (0, the default, first) and before those with a higher one. A run reading its policies in chunks
   * numbers them in order: the tenant's budget goes to the oldest chunk's requests (its follow-up reads too), and
   * later chunks' requests fill the moments it has none waiting.
   */
  withPriority(priority: number): GraphClient;
  /**
   * The application permissions the tenant granted the app: the `roles` of a freshly acquired access token
   * (never the cached one, so a consent given a minute ago counts). Throws the token request's GraphError
   * (`graph_auth_failed` with the authority's AADSTS code, or a transient network failure).
   */
  grantedApplicationPermissions(): Promise<string[]>;
}

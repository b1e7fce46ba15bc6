import { LATENCY_BUCKETS, counter, histogram, sampledGauge } from '@policyvault/platform';

// Graph metrics of a worker. Counters and histograms never carry the tenant: their series would stay for the
// life of the process, one set per customer directory ever touched (thousands in an MSP). The tenant appears
// only on policyvault_graph_tenant_budget_used_ratio, a gauge read when scraped from the factory's live tenant
// contexts: at most GraphClientFactory's maxTenants (500, least recently used evicted) and only tenants that
// sent requests in the last window, so its series come and go with the tenants being worked on.

/** Each HTTP exchange with Graph (a `$batch` is one request; a 401 answered by a token refresh counts twice). */
export const graphRequests = counter({
  name: 'policyvault_graph_requests_total',
  help: 'Requests sent to Microsoft Graph, by method, kind (request or batch) and status class (2xx, 4xx, 429, 5xx, timeout, network).',
  labelNames: ['method', 'kind', 'status_class'],
});

export const graphRequestDuration = histogram({
  name: 'policyvault_graph_request_duration_seconds',
  help: 'Microsoft Graph request latency in seconds (one exchange, without pacing or retry waits), by method and kind.',
  labelNames: ['method', 'kind'],
  buckets: LATENCY_BUCKETS,
});

/** 429 answers: whole requests, and sub-requests of a `$batch` (which answers 200 around them). */
export const graphThrottled = counter({
  name: 'policyvault_graph_throttled_total',
  help: 'Too Many Requests (429) answers from Microsoft Graph, by kind (request, or batch_item for a sub-request of a $batch).',
  labelNames: ['kind'],
});

export const graphRetries = counter({
  name: 'policyvault_graph_retries_total',
  help: 'Waits before sending a Graph request (or the failed part of a $batch) again, by reason (throttled: 429/503; transient: timeout, network, 5xx).',
  labelNames: ['reason'],
});

/** The throttle budget ran out: the work is postponed (TenantThrottledError), never failed. */
export const graphPostponed = counter({
  name: 'policyvault_graph_throttle_budget_exhausted_total',
  help: 'Requests whose throttle budget was spent (the run is postponed), by budget (read or write).',
  labelNames: ['budget'],
});

export const graphBreakerOpened = counter({
  name: 'policyvault_graph_breaker_opened_total',
  help: "Times a tenant's Graph circuit breaker opened (its requests fail fast until a trial succeeds).",
});

export const graphBreakers = sampledGauge({
  name: 'policyvault_graph_breakers',
  help: 'Tenant circuit breakers held by this worker, by state (closed, open, halfOpen).',
  labelNames: ['state'],
});

export const graphTenantBudgetUse = sampledGauge({
  name: 'policyvault_graph_tenant_budget_used_ratio',
  help: "Share of the tenant's Intune request budget (GRAPH_REQUESTS_PER_WINDOW, or GRAPH_WRITES_PER_WINDOW for writes) this worker used over the last window, by tenant directory id and budget (requests, writes); tenants idle over the window are left out.",
  labelNames: ['tenant', 'budget'],
});

export function statusClass(status: number): string {
  return status === 429 ? '429' : `${Math.floor(status / 100)}xx`;
}

/** Every way a gateway request can fail on purpose; GatewayExceptionFilter maps each to an HTTP status. */
export enum GatewayErrorCode {
  /** No, malformed, expired or untrusted bearer token. */
  Unauthenticated = 'unauthenticated',
  /** The caller is not a member of the tenant in the path (also for a tenant that does not exist). */
  TenantAccessDenied = 'tenant_access_denied',
  /** The caller's role in the tenant is below what the operation needs. */
  InsufficientRole = 'insufficient_role',
  /** A malformed body, query or path parameter; the message names the field. */
  InvalidRequest = 'invalid_request',
  /** A run, policy, version or backup set that is not in the path's tenant (or does not exist). */
  NotFound = 'not_found',
  Conflict = 'conflict',
  /** A finished run asked for what it would have produced (a version compare's `to=run:<id>`) but produced nothing (422). */
  RunProducedNothing = 'run_produced_nothing',
  /** The tenant was removed by an administrator: no run starts and no schedule is made there (409). */
  TenantDisabled = 'tenant_disabled',
  /** An Idempotency-Key sent again with a different body on the same route (422). */
  IdempotencyKeyReused = 'idempotency_key_reused',
  /** A request with the same Idempotency-Key is still being processed (409, Retry-After). */
  IdempotencyKeyInProgress = 'idempotency_key_in_progress',
  /** Too many requests from this user or for this tenant, or too many open live streams (429, Retry-After). */
  RateLimited = 'rate_limited',
  /** The identity provider's signing keys could not be fetched (not the caller's fault). */
  IdentityProviderUnavailable = 'identity_provider_unavailable',
  /** A service behind the gateway (run-service, capture-worker) did not answer in time or has no responder. */
  UpstreamUnavailable = 'upstream_unavailable',
  /** The gateway's own Postgres cannot be reached (refused, dropped, restarting): 503, try again. */
  DatabaseUnavailable = 'database_unavailable',
  /** A service behind the gateway answered with an internal error or an unreadable reply. */
  UpstreamFailed = 'upstream_failed',
}

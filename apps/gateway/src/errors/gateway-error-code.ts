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
  RunNotFound = 'run_not_found',
  Conflict = 'conflict',
  /** The identity provider's signing keys could not be fetched (not the caller's fault). */
  IdentityProviderUnavailable = 'identity_provider_unavailable',
  /** run-service did not answer in time or has no responder. */
  RunServiceUnavailable = 'run_service_unavailable',
  /** run-service answered with an internal error or an unreadable reply. */
  RunServiceFailed = 'run_service_failed',
}

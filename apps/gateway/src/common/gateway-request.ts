import type { IncomingHttpHeaders } from 'node:http';
import type { AuthenticatedIdentity } from '../auth/authenticated-identity.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import type { PathRequest, RoutedRequest } from './http-request.js';

/**
 * A request after the gateway's guards, as either HTTP adapter hands it over (what both Express's and Fastify's
 * requests have): identity (AuthenticationGuard), tenant access (TenantAccessGuard).
 */
export interface GatewayRequest extends PathRequest, RoutedRequest {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  readonly params: Readonly<Record<string, unknown>>;
  readonly query: unknown;
  body?: unknown;
  identity?: AuthenticatedIdentity;
  tenantAccess?: TenantAccess;
  /** The id of this request's Idempotency-Key claim (IdempotencyInterceptor): run-service records what it creates under it. */
  idempotencyAnchor?: string;
}

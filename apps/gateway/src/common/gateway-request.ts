import type { IncomingHttpHeaders } from 'node:http';
import type { AuthenticatedIdentity } from '../auth/authenticated-identity.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import type { PathRequest, RoutedRequest } from './http-request.js';

/**
 * A Fastify request after the gateway's guards, by what the gateway reads of it: identity (AuthenticationGuard),
 * tenant access (TenantAccessGuard).
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

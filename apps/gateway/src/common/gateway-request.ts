import type { Request } from 'express';
import type { AuthenticatedIdentity } from '../auth/authenticated-identity.js';
import type { TenantAccess } from '../tenants/tenant-access.js';

/** An Express request after the gateway's guards: identity (AuthenticationGuard), tenant access (TenantAccessGuard). */
export interface GatewayRequest extends Request {
  identity?: AuthenticatedIdentity;
  tenantAccess?: TenantAccess;
  /** The id of this request's Idempotency-Key claim (IdempotencyInterceptor): run-service records what it creates under it. */
  idempotencyAnchor?: string;
}

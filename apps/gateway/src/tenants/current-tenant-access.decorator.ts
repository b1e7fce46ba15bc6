import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { GatewayRequest } from '../common/gateway-request.js';
import type { TenantAccess } from './tenant-access.js';

/** The caller's membership of the path's tenant (only on TenantScoped controllers). */
export const CurrentTenantAccess = createParamDecorator((_: unknown, context: ExecutionContext): TenantAccess => {
  const access = context.switchToHttp().getRequest<GatewayRequest>().tenantAccess;
  if (!access) throw new Error('CurrentTenantAccess used on a route without TenantAccessGuard');
  return access;
});

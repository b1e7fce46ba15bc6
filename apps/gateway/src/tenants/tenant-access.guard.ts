import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { GatewayRequest } from '../common/gateway-request.js';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { TenantAccessService } from './tenant-access.service.js';

/** The 403 of a tenant the caller may not see, and of an id such a tenant holds (OtherTenantInterceptor). */
export const NOT_A_MEMBER = 'you are not a member of this tenant';

/**
 * Runs after AuthenticationGuard on every /api/tenants/:tenantId/… route: 400 for a malformed id,
 * 403 unless the caller is a member of that tenant (a tenant that does not exist answers the same
 * 403, so ids cannot be probed). Role checks per operation come later, in the handlers.
 */
@Injectable()
export class TenantAccessGuard implements CanActivate {
  constructor(private readonly tenants: TenantAccessService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<GatewayRequest>();
    const tenantId = request.params.tenantId;
    if (typeof tenantId !== 'string' || !isUUID(tenantId, 'all')) throw GatewayException.invalidRequest('tenantId: must be a UUID');
    if (!request.identity) throw new GatewayException(GatewayErrorCode.Unauthenticated, 'authentication is required');
    const access = await this.tenants.find(request.identity.email, tenantId.toLowerCase());
    if (!access) throw new GatewayException(GatewayErrorCode.TenantAccessDenied, NOT_A_MEMBER);
    request.tenantAccess = access;
    return true;
  }
}

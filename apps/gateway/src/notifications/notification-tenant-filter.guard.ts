import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { GatewayRequest } from '../common/gateway-request.js';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { TenantAccessService } from '../tenants/tenant-access.service.js';

/**
 * Notification routes are not under a tenant path, but may narrow to one tenant (`tenantId` in the
 * query of GET, in the body of read-all). That tenant gets the checks a path tenant gets, in the same
 * order: 400 for a malformed id, then 403 unless the caller is a member, before the rest of the input
 * is validated and before the notifier is asked.
 */
@Injectable()
export class NotificationTenantFilterGuard implements CanActivate {
  constructor(private readonly tenants: TenantAccessService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<GatewayRequest>();
    const source: unknown = request.method === 'GET' ? request.query : request.body;
    const tenantId = typeof source === 'object' && source !== null ? (source as { tenantId?: unknown }).tenantId : undefined;
    if (tenantId === undefined) return true;
    if (typeof tenantId !== 'string' || !isUUID(tenantId, 'all')) throw GatewayException.invalidRequest('tenantId: must be a UUID');
    if (!request.identity) throw new GatewayException(GatewayErrorCode.Unauthenticated, 'authentication is required');
    const access = await this.tenants.find(request.identity.email, tenantId.toLowerCase());
    if (!access) throw new GatewayException(GatewayErrorCode.TenantAccessDenied, 'you are not a member of this tenant');
    return true;
  }
}

import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { catchError, from, mergeMap, throwError, type Observable } from 'rxjs';
import type { GatewayRequest } from '../common/gateway-request.js';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { OtherTenantException } from '../errors/other-tenant.exception.js';
import { NOT_A_MEMBER } from './tenant-access.guard.js';
import { TenantAccessService } from './tenant-access.service.js';

/** The rule, as the API documents it on every route with an id. */
export const OTHER_TENANT_RULE =
  'An id held by a tenant the caller is not a member of answers 403 like that tenant itself would (nothing about it is ' +
  'said); 404 when no tenant holds it, or when it is held by another tenant the caller can see (it is not under this path).';

/**
 * What an id held by other tenants means for this caller: 404 when no tenant holds it or when the
 * caller can see one that does (not under this path, or not theirs); otherwise 403 with the same
 * message as any tenant the caller is not a member of.
 */
export function answerForOtherTenant(error: OtherTenantException, visibleTenantIds: readonly string[]): GatewayException {
  const visible = new Set(visibleTenantIds.map((id) => id.toLowerCase()));
  if (error.ownerTenantIds.length === 0 || error.ownerTenantIds.some((id) => visible.has(id.toLowerCase()))) {
    return new GatewayException(GatewayErrorCode.NotFound, error.detail);
  }
  return new GatewayException(GatewayErrorCode.TenantAccessDenied, NOT_A_MEMBER);
}

/**
 * The one place "another tenant's id" becomes 403 or 404 (`answerForOtherTenant`), for every HTTP
 * route: services say which tenant holds an id they did not find (`other_tenant` over RPC, turned
 * into OtherTenantException by the RPC error mapper; the gateway's own members and fleet batches
 * throw it directly), and this asks TenantAccessService which tenants the caller sees (cached).
 */
@Injectable()
export class OtherTenantInterceptor implements NestInterceptor {
  constructor(private readonly tenants: TenantAccessService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (!(error instanceof OtherTenantException)) return throwError(() => error);
        const { identity } = context.switchToHttp().getRequest<GatewayRequest>();
        return from(identity ? this.tenants.visibility(identity) : Promise.resolve(null)).pipe(
          mergeMap((visibility) => throwError(() => answerForOtherTenant(error, visibility?.tenantIds ?? []))),
        );
      }),
    );
  }
}

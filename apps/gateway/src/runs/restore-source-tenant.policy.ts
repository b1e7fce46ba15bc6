import { Injectable } from '@nestjs/common';
import { RestoreTarget, roleAtLeast, RUN_TYPES_REGISTRY, TenantRole, type RunType } from '@policyvault/contracts';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { TenantAccessService } from '../tenants/tenant-access.service.js';

/** Reading another tenant's backup set into this one: the same role a restore.preview needs there. */
export const SOURCE_TENANT_MINIMUM_ROLE = TenantRole.Operator;

/**
 * The backup set of a restore may belong to another tenant (`target.sourceTenantId`): its
 * configuration is then read out of that tenant and written into the path's. The path's tenant is
 * authorized by the guard and the run type's role; the source tenant needs the caller to be at least
 * operator there too, checked before run-service is asked. A source id equal to the path's tenant is
 * no cross-tenant restore: it is dropped from the target, so both spellings are one run to
 * run-service's de-duplication and the workers.
 */
@Injectable()
export class RestoreSourceTenantPolicy {
  constructor(private readonly tenants: TenantAccessService) {}

  /** The target to send run-service (source id lower-cased, or dropped when it is the path's tenant); 403 naming target.sourceTenantId. */
  async authorize(access: TenantAccess, type: RunType, target: Record<string, unknown>): Promise<Record<string, unknown>> {
    // Every run type whose target is a RestoreTarget (RUN_TYPES_REGISTRY) may name a source tenant.
    if (RUN_TYPES_REGISTRY[type].target !== RestoreTarget || typeof target.sourceTenantId !== 'string') return target;
    const sourceTenantId = target.sourceTenantId.toLowerCase();
    if (sourceTenantId === access.tenantId) {
      const { sourceTenantId: _sameTenant, ...rest } = target;
      return rest;
    }
    // A tenant that does not exist answers the same as one the caller is not a member of: ids cannot be probed.
    const source = await this.tenants.find(access.email, sourceTenantId);
    if (!source) {
      throw new GatewayException(GatewayErrorCode.TenantAccessDenied, 'target.sourceTenantId: you are not a member of the tenant the backup set belongs to');
    }
    if (!roleAtLeast(source.role, SOURCE_TENANT_MINIMUM_ROLE)) {
      throw new GatewayException(
        GatewayErrorCode.InsufficientRole,
        `target.sourceTenantId: restoring from another tenant's backup set needs the ${SOURCE_TENANT_MINIMUM_ROLE} role in that tenant; you are ${source.role}`,
      );
    }
    return { ...target, sourceTenantId };
  }
}

import { roleAtLeast, type TenantRole } from '@policyvault/contracts';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import type { TenantAccess } from './tenant-access.js';

/** 403 unless the caller's role in the path's tenant is at least `minimum`; `action` says what was refused. */
export function requireRole(access: TenantAccess, minimum: TenantRole, action: string): void {
  if (!roleAtLeast(access.role, minimum)) {
    throw new GatewayException(GatewayErrorCode.InsufficientRole, `${action} needs the ${minimum} role in this tenant; you are ${access.role}`);
  }
}

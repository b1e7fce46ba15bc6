import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import type { TenantAccess } from './tenant-access.js';

/** 409 tenant_disabled when an administrator removed the tenant: nothing new starts or is scheduled there. */
export function requireActiveTenant(access: TenantAccess, action: string): void {
  if (access.disabledAt !== null) {
    throw new GatewayException(
      GatewayErrorCode.TenantDisabled,
      `${GatewayErrorCode.TenantDisabled}: ${action} is refused, the tenant was removed at ${access.disabledAt} (its data is kept)`,
    );
  }
}

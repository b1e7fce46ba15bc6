import type { TenantRole } from '@policyvault/contracts';

/** The caller's standing in the tenant of the request path (set by TenantAccessGuard). */
export interface TenantAccess {
  tenantId: string;
  /** The customer's Entra directory id, which run-service passes on to the workers. */
  directoryId: string;
  /** The tenant's display name (a live restore may be confirmed by typing it back). */
  displayName: string;
  /** The caller's membership role; TenantRole.Owner for an MSP administrator whatever their membership. */
  role: TenantRole;
  userId: string;
  email: string;
  /** Set once an administrator removed the tenant: reads go on, nothing new starts (409 tenant_disabled). */
  disabledAt: string | null;
}

/** The tenants a caller may see across the API (by membership, whatever the role; every tenant for an administrator). */
export interface TenantVisibility {
  userId: string;
  email: string;
  tenantIds: string[];
}

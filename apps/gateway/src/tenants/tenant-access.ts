import type { TenantRole } from '@policyvault/contracts';

/** The caller's standing in the tenant of the request path (set by TenantAccessGuard). */
export interface TenantAccess {
  tenantId: string;
  /** The customer's Entra directory id, which run-service passes on to the workers. */
  directoryId: string;
  /** The tenant's display name (a live restore may be confirmed by typing it back). */
  displayName: string;
  role: TenantRole;
  userId: string;
  email: string;
}

/** The tenants a caller may see across the API (set by membership, whatever the role). */
export interface TenantVisibility {
  userId: string;
  email: string;
  tenantIds: string[];
}

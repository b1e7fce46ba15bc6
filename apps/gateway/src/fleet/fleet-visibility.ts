import { TenantRole } from '@policyvault/contracts';
import type { TenantAccess } from '../tenants/tenant-access.js';
import type { TenantEntity } from '../tenants/tenant.entity.js';

/** A tenant as the fleet reads it from the directory: the tenant row, the caller's id and membership role (null: none). */
export interface FleetDirectoryRow {
  tenant: TenantEntity;
  userId: string;
  membershipRole: TenantRole | null;
}

/** A tenant the caller may see in the fleet, with the role they act with there. */
export interface FleetTenant {
  access: TenantAccess;
  tags: string[];
  disabled: boolean;
}

/** Tags and the disabled state of a tenant (`tenants.tags`, `tenants.disabled_at`). */
export function fleetTenantAttributes(tenant: Pick<TenantEntity, 'tags' | 'disabledAt'>): { tags: string[]; disabled: boolean } {
  return { tags: tenant.tags ?? [], disabled: tenant.disabledAt !== null && tenant.disabledAt !== undefined };
}

/**
 * Who sees which tenant in the fleet: a member sees the tenants they belong to, with their role; a
 * directory admin sees every tenant and acts in each as an owner would. The one place this is decided.
 */
export function visibleFleetTenants(rows: readonly FleetDirectoryRow[], isAdmin: boolean, email: string): FleetTenant[] {
  return rows.flatMap(({ tenant, userId, membershipRole }) => {
    const role = isAdmin ? TenantRole.Owner : membershipRole;
    if (role === null) return [];
    return [
      {
        access: { tenantId: tenant.id, directoryId: tenant.directoryId, displayName: tenant.displayName, role, userId, email, disabledAt: tenant.disabledAt?.toISOString() ?? null },
        ...fleetTenantAttributes(tenant),
      },
    ];
  });
}

import { roleAtLeast, RUN_TYPES_REGISTRY, type RunType, type TenantRole } from '@policyvault/contracts';

/** Any member may read a tenant's runs; starting one needs the run type's minimum role (RUN_TYPES_REGISTRY). */
export function mayStartRun(role: TenantRole, type: RunType): boolean {
  return roleAtLeast(role, RUN_TYPES_REGISTRY[type].minimumRole);
}

import { roleAtLeast, RUN_TYPE_MINIMUM_ROLE, type RunType, type TenantRole } from '@policyvault/contracts';

/** Any member may read a tenant's runs; starting one needs the run type's minimum role. */
export function mayStartRun(role: TenantRole, type: RunType): boolean {
  return roleAtLeast(role, RUN_TYPE_MINIMUM_ROLE[type]);
}

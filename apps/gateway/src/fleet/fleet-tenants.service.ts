import { Injectable } from '@nestjs/common';
import type { AuthenticatedIdentity } from '../auth/authenticated-identity.js';
import { isDirectoryAdmin } from '../auth/require-directory-admin.js';
import { ExpiringCache } from '../common/expiring-cache.js';
import { GatewayConfig } from '../gateway.config.js';
import { TenantAccessService } from '../tenants/tenant-access.service.js';
import { FleetDirectoryRepository } from './fleet-directory.repository.js';
import { visibleFleetTenants, type FleetTenant } from './fleet-visibility.js';

const CALLERS_CACHED = 1_000;

/**
 * The tenants a caller sees in the fleet, by name (one directory query). Reused for
 * MEMBERSHIP_CACHE_TTL_MS like every membership answer (TenantAccessService), so a dashboard that
 * refreshes or pages does not read 2,000 tenant rows per request; concurrent reads share one query. A change
 * of tenants or memberships through this replica (TenantAccessService.forgetAll) is seen at once.
 */
@Injectable()
export class FleetTenantsService {
  private readonly cache = new ExpiringCache<string, Promise<FleetTenant[]>>(CALLERS_CACHED);

  constructor(
    private readonly directory: FleetDirectoryRepository,
    private readonly config: GatewayConfig,
    private readonly access: TenantAccessService,
  ) {}

  visibleTo(identity: AuthenticatedIdentity): Promise<FleetTenant[]> {
    // Directory admins (issue 12: identity.directoryRole === 'admin') see every tenant.
    const isAdmin = isDirectoryAdmin(identity);
    const key = `${this.access.generation}\n${identity.email}\n${isAdmin}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const lookup = this.directory.tenantsFor(identity.email, isAdmin).then((rows) => visibleFleetTenants(rows, isAdmin, identity.email));
    this.cache.set(key, lookup, this.config.MEMBERSHIP_CACHE_TTL_MS);
    lookup.catch(() => this.cache.delete(key));
    return lookup;
  }
}

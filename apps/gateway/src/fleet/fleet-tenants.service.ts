import { Injectable } from '@nestjs/common';
import type { AuthenticatedIdentity } from '../auth/authenticated-identity.js';
import { FleetDirectoryRepository } from './fleet-directory.repository.js';
import { visibleFleetTenants, type FleetTenant } from './fleet-visibility.js';

/** The tenants a caller sees in the fleet, by name (one directory query). */
@Injectable()
export class FleetTenantsService {
  constructor(private readonly directory: FleetDirectoryRepository) {}

  async visibleTo(identity: AuthenticatedIdentity): Promise<FleetTenant[]> {
    // Directory admins (issue 12: identity.directoryRole === 'admin') see every tenant.
    const isAdmin = false;
    return visibleFleetTenants(await this.directory.tenantsFor(identity.email, isAdmin), isAdmin, identity.email);
  }
}

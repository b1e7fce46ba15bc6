import { Injectable } from '@nestjs/common';
import type { AuthenticatedIdentity } from '../auth/authenticated-identity.js';
import { isDirectoryAdmin } from '../auth/require-directory-admin.js';
import { ExpiringCache } from '../common/expiring-cache.js';
import { GatewayConfig } from '../gateway.config.js';
import type { TenantAccess, TenantVisibility } from './tenant-access.js';
import { TenantDirectoryRepository } from './tenant-directory.repository.js';

const MEMBERSHIP_CACHE_SIZE = 50_000;

/**
 * Answers "may this caller act in this tenant, and with which role?". Answers (including "no") are
 * reused for MEMBERSHIP_CACHE_TTL_MS, and concurrent lookups of the same pair share one query, so
 * a burst of starts costs one database round trip per user and tenant. A change to the directory
 * made through this replica (members, tenants) clears its answers at once (`forgetAll`); other
 * replicas see it within the TTL.
 */
@Injectable()
export class TenantAccessService {
  private readonly cache = new ExpiringCache<string, Promise<TenantAccess | null>>(MEMBERSHIP_CACHE_SIZE);
  private readonly visibilityCache = new ExpiringCache<string, Promise<TenantVisibility | null>>(MEMBERSHIP_CACHE_SIZE);
  private forgotten = 0;

  constructor(
    private readonly directory: TenantDirectoryRepository,
    private readonly config: GatewayConfig,
  ) {}

  find(email: string, tenantId: string): Promise<TenantAccess | null> {
    const key = `${email}\n${tenantId}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const lookup = this.load(email, tenantId);
    this.cache.set(key, lookup, this.config.MEMBERSHIP_CACHE_TTL_MS);
    lookup.catch(() => this.cache.delete(key));
    return lookup;
  }

  /**
   * Every tenant the caller may see now (for reads that span tenants, like notifications): their
   * memberships, or every tenant for an administrator; null without any. Cached like `find`.
   */
  visibility(identity: Pick<AuthenticatedIdentity, 'email' | 'userId' | 'directoryRole'>): Promise<TenantVisibility | null> {
    const key = `${identity.directoryRole ?? ''}\n${identity.email}`;
    const cached = this.visibilityCache.get(key);
    if (cached) return cached;
    const lookup = this.loadVisibility(identity);
    this.visibilityCache.set(key, lookup, this.config.MEMBERSHIP_CACHE_TTL_MS);
    lookup.catch(() => this.visibilityCache.delete(key));
    return lookup;
  }

  /** Bumped by every `forgetAll`: other caches of directory answers key on it (the fleet's tenant lists). */
  get generation(): number {
    return this.forgotten;
  }

  /** After this replica changed memberships or tenants: no answer given before the change is reused. */
  forgetAll(): void {
    this.forgotten += 1;
    this.cache.clear();
    this.visibilityCache.clear();
  }

  private async loadVisibility(identity: Pick<AuthenticatedIdentity, 'email' | 'userId' | 'directoryRole'>): Promise<TenantVisibility | null> {
    if (isDirectoryAdmin(identity) && identity.userId) {
      return { userId: identity.userId, email: identity.email, tenantIds: await this.directory.listTenantIds() };
    }
    const rows = await this.directory.listMemberships(identity.email);
    if (rows.length === 0) return null;
    return { userId: rows[0].userId, email: identity.email, tenantIds: rows.map((row) => row.tenantId) };
  }

  private async load(email: string, tenantId: string): Promise<TenantAccess | null> {
    const row = await this.directory.findMembership(email, tenantId);
    if (!row) return null;
    return {
      tenantId: row.tenantId,
      directoryId: row.directoryId,
      displayName: row.displayName,
      role: row.role,
      userId: row.userId,
      email,
      disabledAt: row.disabledAt ? new Date(row.disabledAt).toISOString() : null,
    };
  }
}

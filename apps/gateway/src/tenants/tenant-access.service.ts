import { Injectable } from '@nestjs/common';
import { ExpiringCache } from '../common/expiring-cache.js';
import { GatewayConfig } from '../gateway.config.js';
import type { TenantAccess, TenantVisibility } from './tenant-access.js';
import { TenantDirectoryRepository } from './tenant-directory.repository.js';

const MEMBERSHIP_CACHE_SIZE = 50_000;

/**
 * Answers "may this caller act in this tenant, and with which role?". Answers (including "no") are
 * reused for MEMBERSHIP_CACHE_TTL_MS, and concurrent lookups of the same pair share one query, so
 * a burst of starts costs one database round trip per user and tenant.
 */
@Injectable()
export class TenantAccessService {
  private readonly cache = new ExpiringCache<string, Promise<TenantAccess | null>>(MEMBERSHIP_CACHE_SIZE);
  private readonly visibilityCache = new ExpiringCache<string, Promise<TenantVisibility | null>>(MEMBERSHIP_CACHE_SIZE);

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
   * Every tenant the caller is a member of now (for reads that span tenants, like notifications),
   * or null without any membership. Cached like `find`, with the same trade-off.
   */
  visibility(email: string): Promise<TenantVisibility | null> {
    const cached = this.visibilityCache.get(email);
    if (cached) return cached;
    const lookup = this.loadVisibility(email);
    this.visibilityCache.set(email, lookup, this.config.MEMBERSHIP_CACHE_TTL_MS);
    lookup.catch(() => this.visibilityCache.delete(email));
    return lookup;
  }

  private async loadVisibility(email: string): Promise<TenantVisibility | null> {
    const rows = await this.directory.listMemberships(email);
    if (rows.length === 0) return null;
    return { userId: rows[0].userId, email, tenantIds: rows.map((row) => row.tenantId) };
  }

  private async load(email: string, tenantId: string): Promise<TenantAccess | null> {
    const row = await this.directory.findMembership(email, tenantId);
    if (!row) return null;
    return { tenantId: row.tenantId, directoryId: row.directoryId, displayName: row.displayName, role: row.role, userId: row.userId, email };
  }
}

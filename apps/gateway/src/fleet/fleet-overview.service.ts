import { Injectable } from '@nestjs/common';
import { DEFAULT_PAGE_SIZE, MAX_FLEET_TENANTS, type FleetTenantRunStatus } from '@policyvault/contracts';
import type { AuthenticatedIdentity } from '../auth/authenticated-identity.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { decodeFleetCursor, encodeFleetCursor } from './fleet-cursor.js';
import type { FleetFilter, FleetQuery } from './fleet-filter.query.js';
import { FleetRunServiceClient } from './fleet-run-service.client.js';
import { FleetTenantsService } from './fleet-tenants.service.js';
import type { FleetTenant } from './fleet-visibility.js';
import type { FleetPageResponse, FleetTenantResponse } from './fleet.response.js';

const OFFSET = /^\d{1,5}$/;

function toFleetTenantResponse({ access, tags, disabled }: FleetTenant, status: FleetTenantRunStatus): FleetTenantResponse {
  return {
    ...status,
    tenantId: access.tenantId,
    displayName: access.displayName,
    directoryId: access.directoryId,
    role: access.role,
    tags,
    disabled,
  };
}

/**
 * The fleet overview: the tenants the caller sees (one gateway query; tag filter here), then
 * run-service's aggregates, filters, order and page for all of them in one request.
 */
@Injectable()
export class FleetOverviewService {
  constructor(
    private readonly tenants: FleetTenantsService,
    private readonly runService: FleetRunServiceClient,
  ) {}

  async page(identity: AuthenticatedIdentity, query: FleetQuery): Promise<FleetPageResponse> {
    const offset = query.cursor ? Number(decodeFleetCursor(query.cursor, OFFSET)) : 0;
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const candidates = this.withTag(await this.tenants.visibleTo(identity), query.tag);
    if (candidates.length === 0) return { items: [], total: 0, nextCursor: null };
    const reply = await this.runService.status({
      tenantIds: candidates.map((tenant) => tenant.access.tenantId),
      filter: this.runFilter(query),
      sort: query.sort ?? 'name',
      limit,
      offset,
    });
    const byId = new Map(candidates.map((tenant) => [tenant.access.tenantId, tenant]));
    const items = reply.items.flatMap((status) => {
      const tenant = byId.get(status.tenantId);
      return tenant ? [toFleetTenantResponse(tenant, status)] : [];
    });
    const next = offset + limit;
    return { items, total: reply.total, nextCursor: next < reply.total ? encodeFleetCursor(String(next)) : null };
  }

  /** Every tenant the caller sees that matches the filter, in name order (what a fleet start by filter covers). */
  async matching(identity: AuthenticatedIdentity, filter: FleetFilter): Promise<FleetTenant[]> {
    const candidates = this.withTag(await this.tenants.visibleTo(identity), filter.tag);
    const runFilter = this.runFilter(filter);
    if (candidates.length === 0 || Object.keys(runFilter).length === 0) return candidates;
    const reply = await this.runService.status({
      tenantIds: candidates.map((tenant) => tenant.access.tenantId),
      filter: runFilter,
      sort: 'name',
      idsOnly: true,
      limit: 1,
      offset: 0,
    });
    const matched = new Set(reply.tenantIds ?? []);
    return candidates.filter((tenant) => matched.has(tenant.access.tenantId));
  }

  private withTag(tenants: FleetTenant[], tag: string | undefined): FleetTenant[] {
    const selected = tag === undefined ? tenants : tenants.filter((tenant) => tenant.tags.includes(tag));
    if (selected.length > MAX_FLEET_TENANTS) {
      throw GatewayException.invalidRequest(`the fleet view covers at most ${MAX_FLEET_TENANTS} tenants at once: filter by tag`);
    }
    return selected;
  }

  /** The filters run-service applies (only those given). */
  private runFilter({ health, drift, noSuccessfulBackupSince }: FleetFilter): Pick<FleetFilter, 'health' | 'drift' | 'noSuccessfulBackupSince'> {
    return {
      ...(health !== undefined ? { health } : {}),
      ...(drift !== undefined ? { drift } : {}),
      ...(noSuccessfulBackupSince !== undefined ? { noSuccessfulBackupSince } : {}),
    };
  }
}

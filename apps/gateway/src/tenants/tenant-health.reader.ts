import { Injectable, Logger } from '@nestjs/common';
import { RunType, type LatestRunSummary } from '@policyvault/contracts';
import { RunServiceClient } from '../runs/run-service.client.js';
import { TENANT_HEALTH_STATES, type TenantHealthResponse, type TenantHealthState } from './tenant.response.js';

/**
 * Each tenant's health from its latest finished access check (`tenant.verify_access` summary), read
 * from run-service in one request per page of tenants. Health is an addition to the tenant list, not
 * its substance: when run-service does not answer, tenants are listed with `health: null`.
 */
@Injectable()
export class TenantHealthReader {
  private readonly logger = new Logger('TenantHealthReader');

  constructor(private readonly runService: RunServiceClient) {}

  async forTenants(tenantIds: string[]): Promise<Map<string, TenantHealthResponse>> {
    if (tenantIds.length === 0) return new Map();
    try {
      const { items } = await this.runService.latestSummaries({ type: RunType.TenantVerifyAccess, tenantIds });
      return new Map(items.flatMap((item) => {
        const health = toHealth(item);
        return health ? [[item.tenantId, health] as const] : [];
      }));
    } catch (error) {
      this.logger.warn({ err: { message: (error as Error).message } }, 'tenant health unavailable: listing tenants without it');
      return new Map();
    }
  }
}

/** A summary as the access check records it; anything else (an older or foreign shape) is no health. */
function toHealth({ summary, runId, finishedAt }: LatestRunSummary): TenantHealthResponse | null {
  const status = summary.health;
  if (typeof status !== 'string' || !(TENANT_HEALTH_STATES as readonly string[]).includes(status)) return null;
  const missing = Array.isArray(summary.missingPermissions) ? summary.missingPermissions.filter((name): name is string => typeof name === 'string') : [];
  return { status: status as TenantHealthState, missingPermissions: missing, runId, checkedAt: finishedAt };
}

import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { BackupStoreRpc, type PolicyVersionComparison } from '@policyvault/contracts';
import { UuidParamPipe } from '../common/uuid-param.pipe.js';
import { ErrorResponse } from '../errors/error.response.js';
import { GatewayConfig } from '../gateway.config.js';
import { NatsRpcClient, type RpcService } from '../rpc/nats-rpc.client.js';
import { CurrentTenantAccess } from '../tenants/current-tenant-access.decorator.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { TenantScoped } from '../tenants/tenant-scoped.decorator.js';
import { VersionCompareQuery } from './version-compare.query.js';
import { PolicyVersionComparisonResponse } from './version-compare.response.js';

/** Two stored versions of a policy compared by the backup store (capture-worker), as previews compare. */
@ApiTags('policies')
@TenantScoped()
@ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'The backup store did not answer in time; safe to retry.' })
@Controller('api/tenants/:tenantId/policies/:policyId/versions/compare')
export class VersionCompareController {
  private readonly backupStore: RpcService;

  constructor(
    private readonly rpc: NatsRpcClient,
    config: GatewayConfig,
  ) {
    this.backupStore = { name: 'capture-worker', timeoutMs: config.BACKUP_STORE_TIMEOUT_MS };
  }

  @Get()
  @ApiOperation({
    summary: 'The field-level differences between two stored versions of a policy',
    description:
      'The same normalization and diff as a restore preview and a drift check (ids, timestamps, version and annotations ignored; order-free ' +
      'arrays compared by a stable key). Both versions must belong to the policy. To compare with the live object, start a drift check run. ' +
      'Any member (reader and up) may read.',
  })
  @ApiParam({ name: 'policyId', format: 'uuid' })
  @ApiOkResponse({ type: PolicyVersionComparisonResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'The policy, or one of the versions, is not in this tenant (or not a version of this policy).' })
  compare(@CurrentTenantAccess() access: TenantAccess, @Param('policyId', UuidParamPipe) policyId: string, @Query() query: VersionCompareQuery): Promise<PolicyVersionComparison> {
    return this.rpc.request(this.backupStore, {
      pattern: BackupStoreRpc.comparePolicyVersions,
      payload: { tenantId: access.tenantId, policyId, fromVersionId: query.from, toVersionId: query.to },
      notFound: 'policy or policy version not found in this tenant',
    });
  }
}

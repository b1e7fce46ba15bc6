import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Page, PolicyVersionSummary, PolicyVersionView, PolicyView } from '@policyvault/contracts';
import { PageQuery } from '../common/page.query.js';
import { UuidParamPipe } from '../common/uuid-param.pipe.js';
import { ErrorResponse } from '../errors/error.response.js';
import { CurrentTenantAccess } from '../tenants/current-tenant-access.decorator.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { TenantScoped } from '../tenants/tenant-scoped.decorator.js';
import { BackupStoreClient } from './backup-store.client.js';
import { NOT_IN_TENANT, PolicyPageResponse, PolicyResponse, PolicyVersionPageResponse, PolicyVersionResponse } from './backup-store.response.js';
import { ListPoliciesQuery } from './list-policies.query.js';

/** The tenant's captured policies and their versions, from the backup store (capture-worker). */
@ApiTags('policies')
@TenantScoped()
@ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'The backup store did not answer in time; safe to retry.' })
@Controller('api/tenants/:tenantId')
export class PoliciesController {
  constructor(private readonly backupStore: BackupStoreClient) {}

  @Get('policies')
  @ApiOperation({
    summary: "The tenant's policies known to PolicyVault",
    description: 'Found by inventory syncs and captures, filtered by type and display name. Any member (reader and up) may list.',
  })
  @ApiOkResponse({ type: PolicyPageResponse })
  listPolicies(@CurrentTenantAccess() access: TenantAccess, @Query() query: ListPoliciesQuery): Promise<Page<PolicyView>> {
    return this.backupStore.listPolicies({ tenantId: access.tenantId, ...query });
  }

  @Get('policies/:policyId')
  @ApiOperation({ summary: 'One policy known to PolicyVault', description: 'Its type, Graph id, name, when it was first and last seen, and its newest version. Any member (reader and up) may read.' })
  @ApiParam({ name: 'policyId', format: 'uuid' })
  @ApiOkResponse({ type: PolicyResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: NOT_IN_TENANT })
  getPolicy(@CurrentTenantAccess() access: TenantAccess, @Param('policyId', UuidParamPipe) policyId: string): Promise<PolicyView> {
    return this.backupStore.getPolicy({ tenantId: access.tenantId, policyId });
  }

  @Get('policies/:policyId/versions')
  @ApiOperation({ summary: "A policy's captured versions, newest first", description: 'Without snapshots. Any member (reader and up) may list.' })
  @ApiParam({ name: 'policyId', format: 'uuid' })
  @ApiOkResponse({ type: PolicyVersionPageResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: NOT_IN_TENANT })
  listPolicyVersions(
    @CurrentTenantAccess() access: TenantAccess,
    @Param('policyId', UuidParamPipe) policyId: string,
    @Query() query: PageQuery,
  ): Promise<Page<PolicyVersionSummary>> {
    return this.backupStore.listPolicyVersions({ tenantId: access.tenantId, policyId, ...query });
  }

  @Get('policy-versions/:versionId')
  @ApiOperation({ summary: 'One captured version with its snapshot', description: 'Any member (reader and up) may read.' })
  @ApiParam({ name: 'versionId', format: 'uuid' })
  @ApiOkResponse({ type: PolicyVersionResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: NOT_IN_TENANT })
  getPolicyVersion(@CurrentTenantAccess() access: TenantAccess, @Param('versionId', UuidParamPipe) versionId: string): Promise<PolicyVersionView> {
    return this.backupStore.getPolicyVersion({ tenantId: access.tenantId, versionId });
  }
}

import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { BackupItemView, BackupSetView, Page } from '@policyvault/contracts';
import { PageQuery } from '../common/page.query.js';
import { UuidParamPipe } from '../common/uuid-param.pipe.js';
import { ErrorResponse } from '../errors/error.response.js';
import { CurrentTenantAccess } from '../tenants/current-tenant-access.decorator.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { TenantScoped } from '../tenants/tenant-scoped.decorator.js';
import { BackupStoreClient } from './backup-store.client.js';
import { BackupItemPageResponse, BackupSetPageResponse, BackupSetResponse, NOT_IN_TENANT } from './backup-store.response.js';

/** The tenant's backup sets and what they hold, from the backup store (capture-worker). */
@ApiTags('backup sets')
@TenantScoped()
@ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'The backup store did not answer in time; safe to retry.' })
@Controller('api/tenants/:tenantId/backup-sets')
export class BackupSetsController {
  constructor(private readonly backupStore: BackupStoreClient) {}

  @Get()
  @ApiOperation({ summary: "The tenant's backup sets, newest first", description: 'Any member (reader and up) may list.' })
  @ApiOkResponse({ type: BackupSetPageResponse })
  listBackupSets(@CurrentTenantAccess() access: TenantAccess, @Query() query: PageQuery): Promise<Page<BackupSetView>> {
    return this.backupStore.listBackupSets({ tenantId: access.tenantId, ...query });
  }

  @Get(':setId')
  @ApiOperation({ summary: 'One backup set: status and item count', description: 'Any member (reader and up) may read.' })
  @ApiParam({ name: 'setId', format: 'uuid' })
  @ApiOkResponse({ type: BackupSetResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: NOT_IN_TENANT })
  getBackupSet(@CurrentTenantAccess() access: TenantAccess, @Param('setId', UuidParamPipe) backupSetId: string): Promise<BackupSetView> {
    return this.backupStore.getBackupSet({ tenantId: access.tenantId, backupSetId });
  }

  @Get(':setId/items')
  @ApiOperation({
    summary: "A backup set's items",
    description: 'Without snapshots: read one through GET /policy-versions/{versionId}. Any member (reader and up) may list.',
  })
  @ApiParam({ name: 'setId', format: 'uuid' })
  @ApiOkResponse({ type: BackupItemPageResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: NOT_IN_TENANT })
  listBackupItems(
    @CurrentTenantAccess() access: TenantAccess,
    @Param('setId', UuidParamPipe) backupSetId: string,
    @Query() query: PageQuery,
  ): Promise<Page<BackupItemView>> {
    return this.backupStore.listBackupItems({ tenantId: access.tenantId, backupSetId, ...query });
  }
}

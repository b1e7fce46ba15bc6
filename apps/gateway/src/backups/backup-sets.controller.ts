import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { BackupItemView, BackupSetView, Page } from '@policyvault/contracts';
import type { StreamResponse } from '../common/http-response.js';
import { PageQuery } from '../common/page.query.js';
import { UuidParamPipe } from '../common/uuid-param.pipe.js';
import { ErrorResponse } from '../errors/error.response.js';
import { CurrentTenantAccess } from '../tenants/current-tenant-access.decorator.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { TenantScoped } from '../tenants/tenant-scoped.decorator.js';
import { BackupSetExportQuery } from './backup-set-export.query.js';
import { BackupSetExportService } from './backup-set-export.service.js';
import { BackupStoreClient } from './backup-store.client.js';
import { BackupItemPageResponse, BackupSetPageResponse, BackupSetResponse, NOT_IN_TENANT } from './backup-store.response.js';

/** The tenant's backup sets and what they hold, from the backup store (capture-worker). */
@ApiTags('backup sets')
@TenantScoped()
@ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'The backup store did not answer in time; safe to retry.' })
@Controller('api/tenants/:tenantId/backup-sets')
export class BackupSetsController {
  constructor(
    private readonly backupStore: BackupStoreClient,
    private readonly exports: BackupSetExportService,
  ) {}

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

  @Get(':setId/export')
  @ApiOperation({
    summary: 'Download a backup set as a zip',
    description:
      "IntuneManagement's export layout: a folder per object type (`DeviceConfiguration`, `SettingsCatalog`…), a `<display name>.json` " +
      'per item (the captured Graph object with its assignments; a name taken twice gets `_<graph id>`), and `manifest.json` (the set, ' +
      'the tenant, when it was exported, per type the count, per file its policy type, graph id, display name and content hash as the ' +
      'backup store recorded it, and every secret value with the mode used). Streamed; a failure after the first byte ends the download ' +
      'without the zip directory. A complete or partial set (the manifest says which). Any member (reader and up).',
  })
  @ApiParam({ name: 'setId', format: 'uuid' })
  @ApiProduces('application/zip')
  @ApiOkResponse({ description: 'The zip (`Content-Disposition: attachment; filename="<set name>-<yyyy-mm-dd>.zip"`, the day the set was made).', content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } } })
  @ApiNotFoundResponse({ type: ErrorResponse, description: NOT_IN_TENANT })
  @ApiConflictResponse({ type: ErrorResponse, description: 'The set is still capturing, or failed.' })
  async exportBackupSet(
    @CurrentTenantAccess() access: TenantAccess,
    @Param('setId', UuidParamPipe) backupSetId: string,
    @Query() query: BackupSetExportQuery,
    @Res() response: StreamResponse,
  ): Promise<void> {
    await this.exports.export(access, backupSetId, query.secrets ?? 'omit', response);
  }
}

import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { RestorePreviewPage } from '@policyvault/contracts';
import { PageQuery } from '../common/page.query.js';
import { UuidParamPipe } from '../common/uuid-param.pipe.js';
import { ErrorResponse } from '../errors/error.response.js';
import { CurrentTenantAccess } from '../tenants/current-tenant-access.decorator.js';
import { OTHER_TENANT_RULE } from '../tenants/other-tenant.interceptor.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { TenantScoped } from '../tenants/tenant-scoped.decorator.js';
import { RestorePreviewClient } from './restore-preview.client.js';
import { RestorePreviewPageResponse } from './restore-preview.response.js';

/** What a restore.preview run computed, page by page, from the restore-worker that owns it. */
@ApiTags('runs')
@TenantScoped()
@ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'The restore-worker did not answer in time; safe to retry.' })
@Controller('api/tenants/:tenantId/runs/:runId/preview')
export class RestorePreviewController {
  constructor(private readonly previews: RestorePreviewClient) {}

  @Get()
  @ApiOperation({
    summary: "A restore preview's per-item plan",
    description:
      'For a restore.preview run: per backup item, create / update / no change / skipped, the exact request a restore would ' +
      'send and a field-level diff against the live object, with totals over the whole preview. Stored when the preview ' +
      'ran: reading it computes nothing. Any member (reader and up) may read.',
  })
  @ApiParam({ name: 'runId', format: 'uuid', description: 'A restore.preview run.' })
  @ApiOkResponse({ type: RestorePreviewPageResponse })
  @ApiNotFoundResponse({
    type: ErrorResponse,
    description:
      'No computed preview for this run in this tenant (not a restore.preview run, or not in this tenant). ' + OTHER_TENANT_RULE,
  })
  get(
    @CurrentTenantAccess() access: TenantAccess,
    @Param('runId', UuidParamPipe) runId: string,
    @Query() query: PageQuery,
  ): Promise<RestorePreviewPage> {
    return this.previews.getPreview({ tenantId: access.tenantId, runId, ...query });
  }
}

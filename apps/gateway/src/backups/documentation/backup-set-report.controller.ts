import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { StreamResponse } from '../../common/http-response.js';
import { UuidParamPipe } from '../../common/uuid-param.pipe.js';
import { ErrorResponse } from '../../errors/error.response.js';
import { CurrentTenantAccess } from '../../tenants/current-tenant-access.decorator.js';
import type { TenantAccess } from '../../tenants/tenant-access.js';
import { TenantScoped } from '../../tenants/tenant-scoped.decorator.js';
import { NOT_IN_TENANT } from '../backup-store.response.js';
import { BackupSetReportQuery } from './backup-set-report.query.js';
import { BackupSetReportService } from './backup-set-report.service.js';

/** A backup set's as-built documentation, rendered from the backup store (capture-worker). */
@ApiTags('backup sets')
@TenantScoped()
@ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'The backup store did not answer in time; safe to retry.' })
@Controller('api/tenants/:tenantId/backup-sets')
export class BackupSetReportController {
  constructor(private readonly reports: BackupSetReportService) {}

  @Get(':setId/report')
  @ApiOperation({
    summary: "A backup set's as-built documentation (HTML or Markdown)",
    description:
      'Every policy of the set grouped by type, in name order, after a header (set, tenant, dates, status, count) and a table of contents: ' +
      'its basics (type, profile type, description, scope tags by name, content hash), every setting with its display name and value ' +
      '(settings catalog settings by their setting definitions, choices by their option names; administrative templates by definition and ' +
      'presentation; OMA-URI settings by name and URI; other properties by humanized name), compliance actions, and its assignments ' +
      '(group and filter names as captured). Secret values read "secret value": they are never opened. HTML is one printable page with ' +
      'inline styles and no script. Streamed; a failure after the first byte cuts the download short. A complete or partial set. Any member (reader and up).',
  })
  @ApiParam({ name: 'setId', format: 'uuid' })
  @ApiProduces('text/html', 'text/markdown')
  @ApiOkResponse({
    description: 'The report (`Content-Disposition: attachment; filename="<set name>-<yyyy-mm-dd>-as-built.html|md"`).',
    content: { 'text/html': { schema: { type: 'string' } }, 'text/markdown': { schema: { type: 'string' } } },
  })
  @ApiNotFoundResponse({ type: ErrorResponse, description: NOT_IN_TENANT })
  @ApiConflictResponse({ type: ErrorResponse, description: 'The set is still capturing, or failed.' })
  async report(
    @CurrentTenantAccess() access: TenantAccess,
    @Param('setId', UuidParamPipe) backupSetId: string,
    @Query() query: BackupSetReportQuery,
    @Res() response: StreamResponse,
  ): Promise<void> {
    await this.reports.report(access, backupSetId, query.format ?? 'html', response);
  }
}

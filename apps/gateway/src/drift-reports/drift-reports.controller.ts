import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { DriftReportPage, DriftReportView, Page } from '@policyvault/contracts';
import { PageQuery } from '../common/page.query.js';
import { UuidParamPipe } from '../common/uuid-param.pipe.js';
import { ErrorResponse } from '../errors/error.response.js';
import { CurrentTenantAccess } from '../tenants/current-tenant-access.decorator.js';
import { OTHER_TENANT_RULE } from '../tenants/other-tenant.interceptor.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { TenantScoped } from '../tenants/tenant-scoped.decorator.js';
import { DriftReportQuery } from './drift-report.query.js';
import { DriftReportListResponse, DriftReportPageResponse } from './drift-report.response.js';
import { DriftReportsClient } from './drift-reports.client.js';

/** Drift reports stored by drift.check runs (started like every run: POST …/runs {"type":"drift.check"}). */
@ApiTags('drift')
@TenantScoped()
@ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'The restore-worker did not answer in time; safe to retry.' })
@Controller('api/tenants/:tenantId/drift-reports')
export class DriftReportsController {
  constructor(private readonly reports: DriftReportsClient) {}

  @Get()
  @ApiOperation({ summary: "The tenant's drift reports, newest first", description: 'Any member (reader and up) may list.' })
  @ApiOkResponse({ type: DriftReportListResponse })
  list(@CurrentTenantAccess() access: TenantAccess, @Query() query: PageQuery): Promise<Page<DriftReportView>> {
    return this.reports.listReports({ tenantId: access.tenantId, ...query });
  }

  @Get(':reportId')
  @ApiOperation({
    summary: 'One drift report with its items',
    description:
      'Per baseline policy unchanged / changed (with the field-level differences) / removed, and the added live objects, page by page in ' +
      'baseline order, optionally only one status. Any member (reader and up) may read.',
  })
  @ApiParam({ name: 'reportId', format: 'uuid' })
  @ApiOkResponse({ type: DriftReportPageResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: `No such report in this tenant. ${OTHER_TENANT_RULE}` })
  get(@CurrentTenantAccess() access: TenantAccess, @Param('reportId', UuidParamPipe) reportId: string, @Query() query: DriftReportQuery): Promise<DriftReportPage> {
    return this.reports.getReport({ tenantId: access.tenantId, reportId, ...query });
  }
}

import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { TenantRole, type AuditEventView, type Page } from '@policyvault/contracts';
import { ErrorResponse } from '../errors/error.response.js';
import { CurrentTenantAccess } from '../tenants/current-tenant-access.decorator.js';
import { requireRole } from '../tenants/require-role.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { TenantScoped } from '../tenants/tenant-scoped.decorator.js';
import { AuditEventPageResponse } from './audit-event.response.js';
import { AuditEventsClient } from './audit-events.client.js';
import { ListAuditEventsQuery } from './list-audit-events.query.js';

/** Who did what to the tenant: live restores, schedule changes, dispatches and retention (run-service owns them). */
@ApiTags('audit')
@TenantScoped()
@ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'run-service did not answer in time; safe to retry.' })
@Controller('api/tenants/:tenantId/audit-events')
export class AuditEventsController {
  constructor(private readonly auditEvents: AuditEventsClient) {}

  @Get()
  @ApiOperation({
    summary: "The tenant's audit events, newest first",
    description: 'Owners only (operators and readers: 403). Filter by runId or scheduleId.',
  })
  @ApiOkResponse({ type: AuditEventPageResponse })
  list(@CurrentTenantAccess() access: TenantAccess, @Query() query: ListAuditEventsQuery): Promise<Page<AuditEventView>> {
    requireRole(access, TenantRole.Owner, 'reading audit events');
    return this.auditEvents.list({ tenantId: access.tenantId, ...query });
  }
}

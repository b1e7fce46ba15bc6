import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { TenantRole, type BackupSchedulePreview, type BackupScheduleView, type Page, type ScheduleRunView } from '@policyvault/contracts';
import type { HttpResponse } from '../common/http-response.js';
import { JsonBodyGuard } from '../common/json-body.guard.js';
import { PageQuery } from '../common/page.query.js';
import { UuidParamPipe } from '../common/uuid-param.pipe.js';
import { ErrorResponse } from '../errors/error.response.js';
import { Idempotent, IdempotencyAnchor } from '../idempotency/idempotent.decorator.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { CurrentTenantAccess } from '../tenants/current-tenant-access.decorator.js';
import { OTHER_TENANT_RULE } from '../tenants/other-tenant.interceptor.js';
import { requireActiveTenant } from '../tenants/require-active-tenant.js';
import { requireRole } from '../tenants/require-role.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { TenantScoped } from '../tenants/tenant-scoped.decorator.js';
import { BackupScheduleChangesBody, CreateBackupScheduleBody, missingScheduleFields } from './backup-schedule.body.js';
import { BackupScheduleClient } from './backup-schedule.client.js';
import { BackupSchedulePageResponse, BackupSchedulePreviewResponse, BackupScheduleResponse, ScheduleRunPageResponse } from './backup-schedule.response.js';

const NOT_IN_TENANT = `No schedule with this id in this tenant. ${OTHER_TENANT_RULE}`;
const MANAGING = 'managing backup schedules';

/**
 * A tenant's backup schedules (spec 032), owned by run-service: owners define them, any member
 * reads them and their run history. Shapes are checked here (400 naming the field); what needs the
 * registry or the calendar (unknown policy type, weekly without days) run-service checks, also 400.
 */
@ApiTags('backup schedules')
@TenantScoped()
@ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'run-service did not answer in time; safe to retry.' })
@Controller('api/tenants/:tenantId/backup-schedules')
export class BackupSchedulesController {
  constructor(private readonly schedules: BackupScheduleClient) {}

  @Post()
  @UseGuards(JsonBodyGuard)
  @Idempotent()
  @ApiOperation({ summary: 'Create a backup schedule', description: 'Owners only. Audited by run-service.' })
  @ApiCreatedResponse({ type: BackupScheduleResponse, description: 'Location names the new schedule.' })
  async create(
    @CurrentTenantAccess() access: TenantAccess,
    @Body() body: CreateBackupScheduleBody,
    @IdempotencyAnchor() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<BackupScheduleView> {
    const missing = missingScheduleFields(body);
    if (missing.length > 0) throw GatewayException.invalidRequest(missing);
    requireRole(access, TenantRole.Owner, MANAGING);
    requireActiveTenant(access, 'creating a backup schedule');
    const schedule = await this.schedules.create({
      tenantId: access.tenantId,
      tenantDirectoryId: access.directoryId,
      requestedBy: { userId: access.userId, email: access.email },
      schedule: { ...body },
      ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
    });
    response.header('Location', `/api/tenants/${access.tenantId}/backup-schedules/${schedule.id}`);
    return schedule;
  }

  @Post('preview')
  @HttpCode(HttpStatus.OK)
  @UseGuards(JsonBodyGuard)
  @ApiOperation({
    summary: 'The next five run times of a draft schedule',
    description:
      'Computed by run-service with the code and clock its scheduler fires slots with (daylight-saving rules included), so an ' +
      'editor shows exactly what will run. Only frequency, daysOfWeek, timeOfDay and timeZone count (frequency, timeOfDay and ' +
      'timeZone required; a weekly draft needs a day); invalid ones answer 400 naming the field. Any member (nothing is saved).',
  })
  @ApiOkResponse({ type: BackupSchedulePreviewResponse })
  preview(@CurrentTenantAccess() access: TenantAccess, @Body() body: BackupScheduleChangesBody): Promise<BackupSchedulePreview> {
    return this.schedules.preview({ tenantId: access.tenantId, schedule: { ...body } });
  }

  @Get()
  @ApiOperation({ summary: "The tenant's backup schedules", description: 'Any member (reader and up) may list.' })
  @ApiOkResponse({ type: BackupSchedulePageResponse })
  list(@CurrentTenantAccess() access: TenantAccess, @Query() query: PageQuery): Promise<Page<BackupScheduleView>> {
    return this.schedules.list({ tenantId: access.tenantId, ...query });
  }

  @Get(':scheduleId')
  @ApiOperation({ summary: 'One backup schedule, with its next slot', description: 'Any member (reader and up) may read.' })
  @ApiParam({ name: 'scheduleId', format: 'uuid' })
  @ApiOkResponse({ type: BackupScheduleResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: NOT_IN_TENANT })
  get(@CurrentTenantAccess() access: TenantAccess, @Param('scheduleId', UuidParamPipe) scheduleId: string): Promise<BackupScheduleView> {
    return this.schedules.get({ tenantId: access.tenantId, scheduleId });
  }

  @Patch(':scheduleId')
  @UseGuards(JsonBodyGuard)
  @ApiOperation({ summary: 'Change a backup schedule', description: 'Owners only; any subset of the fields. Audited by run-service.' })
  @ApiParam({ name: 'scheduleId', format: 'uuid' })
  @ApiOkResponse({ type: BackupScheduleResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: NOT_IN_TENANT })
  update(
    @CurrentTenantAccess() access: TenantAccess,
    @Param('scheduleId', UuidParamPipe) scheduleId: string,
    @Body() body: BackupScheduleChangesBody,
  ): Promise<BackupScheduleView> {
    if (Object.keys(body).length === 0) throw GatewayException.invalidRequest('body: must change at least one field');
    requireRole(access, TenantRole.Owner, MANAGING);
    return this.schedules.update({
      tenantId: access.tenantId,
      scheduleId,
      requestedBy: { userId: access.userId, email: access.email },
      changes: { ...body },
    });
  }

  @Delete(':scheduleId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete a backup schedule',
    description: 'Owners only. Its backup sets stay; no slot is dispatched any more. Audited by run-service.',
  })
  @ApiParam({ name: 'scheduleId', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: NOT_IN_TENANT })
  async delete(@CurrentTenantAccess() access: TenantAccess, @Param('scheduleId', UuidParamPipe) scheduleId: string): Promise<void> {
    requireRole(access, TenantRole.Owner, MANAGING);
    await this.schedules.delete({ tenantId: access.tenantId, scheduleId, requestedBy: { userId: access.userId, email: access.email } });
  }

  @Get(':scheduleId/runs')
  @ApiOperation({
    summary: "A schedule's slots, newest first",
    description: 'Each dispatched or skipped slot with its status, run and backup set. Any member (reader and up) may read.',
  })
  @ApiParam({ name: 'scheduleId', format: 'uuid' })
  @ApiOkResponse({ type: ScheduleRunPageResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: NOT_IN_TENANT })
  listRuns(
    @CurrentTenantAccess() access: TenantAccess,
    @Param('scheduleId', UuidParamPipe) scheduleId: string,
    @Query() query: PageQuery,
  ): Promise<Page<ScheduleRunView>> {
    return this.schedules.listRuns({ tenantId: access.tenantId, scheduleId, ...query });
  }
}

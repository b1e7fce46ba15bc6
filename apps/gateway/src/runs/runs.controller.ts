import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { type Page, type RunItemView, type RunView, type StartRunReply } from '@policyvault/contracts';
import type { HttpResponse } from '../common/http-response.js';
import { JsonBodyGuard } from '../common/json-body.guard.js';
import { PageQuery } from '../common/page.query.js';
import { UuidParamPipe } from '../common/uuid-param.pipe.js';
import { ErrorResponse } from '../errors/error.response.js';
import { Idempotent, IdempotencyAnchor } from '../idempotency/idempotent.decorator.js';
import { CurrentTenantAccess } from '../tenants/current-tenant-access.decorator.js';
import { OTHER_TENANT_RULE } from '../tenants/other-tenant.interceptor.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { TenantScoped } from '../tenants/tenant-scoped.decorator.js';
import { ListRunsQuery } from './list-runs.query.js';
import { RunItemPageResponse, RunPageResponse, RunResponse, StartRunResponse } from './run.response.js';
import { RunServiceClient } from './run-service.client.js';
import { StartRunBody } from './start-run.dto.js';
import { StartRunService } from './start-run.service.js';

const NOT_IN_TENANT = `No run with this id in this tenant. ${OTHER_TENANT_RULE}`;

@ApiTags('runs')
@TenantScoped()
@ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'run-service did not answer in time; safe to retry.' })
@Controller('api/tenants/:tenantId/runs')
export class RunsController {
  constructor(
    private readonly startRun: StartRunService,
    private readonly runService: RunServiceClient,
  ) {}

  @Post()
  @UseGuards(JsonBodyGuard)
  @Idempotent()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Start a run',
    description:
      'Validates, authorizes (operator for captures, previews and syncs; owner for restore.execute and backup_schedule.run) ' +
      'and queues the run. While a run with the same type, target and scope is queued or running, that run is returned ' +
      'with reused: true (200) instead of a new one (202 with Location). A restore.execute needs a confirmation ' +
      '(a succeeded preview of the same items, or the tenant name typed back): 400 without one or with a wrong name, ' +
      '409 when the preview does not qualify.',
  })
  @ApiConflictResponse({ type: ErrorResponse, description: 'confirmation.previewRunId is not a recent succeeded preview of the same backup set and items.' })
  @ApiAcceptedResponse({ type: StartRunResponse, description: 'Queued; Location names the new run.' })
  @ApiOkResponse({ type: StartRunResponse, description: 'An identical run is already active: that run, reused: true.' })
  async start(
    @CurrentTenantAccess() access: TenantAccess,
    @Body() body: StartRunBody,
    @IdempotencyAnchor() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<StartRunReply> {
    const reply = await this.startRun.execute(access, body, { idempotencyKey });
    if (reply.reused) response.status(HttpStatus.OK);
    else response.header('Location', `/api/tenants/${access.tenantId}/runs/${reply.run.id}`);
    return reply;
  }

  @Get()
  @ApiOperation({ summary: "The tenant's runs, newest first", description: 'Any member (reader and up) may list.' })
  @ApiOkResponse({ type: RunPageResponse })
  list(@CurrentTenantAccess() access: TenantAccess, @Query() query: ListRunsQuery): Promise<Page<RunView>> {
    return this.runService.list({ tenantId: access.tenantId, ...query });
  }

  @Get(':runId')
  @ApiOperation({ summary: 'One run: status, counts, progress', description: 'Any member (reader and up) may read.' })
  @ApiParam({ name: 'runId', format: 'uuid' })
  @ApiOkResponse({ type: RunResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: NOT_IN_TENANT })
  get(@CurrentTenantAccess() access: TenantAccess, @Param('runId', UuidParamPipe) runId: string): Promise<RunView> {
    return this.runService.get({ tenantId: access.tenantId, runId });
  }

  @Post(':runId/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Cancel a run',
    description:
      'A queued run is canceled at once (answers with status canceled); a running one stops between items (answers ' +
      'running with cancelRequested: true, and ends canceled with its counts so far). The user who started the run may ' +
      'cancel it (operator and up), and so may any owner of the tenant; readers may not (403). Asking again while the ' +
      'run is still stopping changes nothing.',
  })
  @ApiParam({ name: 'runId', format: 'uuid' })
  @ApiOkResponse({ type: RunResponse, description: 'The run after the request: canceled, or running with cancelRequested.' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: NOT_IN_TENANT })
  @ApiConflictResponse({ type: ErrorResponse, description: 'The run has already ended.' })
  async cancel(@CurrentTenantAccess() access: TenantAccess, @Param('runId', UuidParamPipe) runId: string): Promise<RunView> {
    // Who may cancel is run-service's decision (it knows the initiator): the role is passed on.
    return this.runService.cancel({
      tenantId: access.tenantId,
      runId,
      requestedBy: { userId: access.userId, email: access.email },
      requesterRole: access.role,
    });
  }

  @Get(':runId/items')
  @ApiOperation({ summary: "A run's per-item outcomes", description: 'Any member (reader and up) may read.' })
  @ApiParam({ name: 'runId', format: 'uuid' })
  @ApiOkResponse({ type: RunItemPageResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: NOT_IN_TENANT })
  listItems(
    @CurrentTenantAccess() access: TenantAccess,
    @Param('runId', UuidParamPipe) runId: string,
    @Query() query: PageQuery,
  ): Promise<Page<RunItemView>> {
    return this.runService.listItems({ tenantId: access.tenantId, runId, ...query });
  }
}

import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Authenticated } from '../auth/authenticated.decorator.js';
import type { AuthenticatedIdentity } from '../auth/authenticated-identity.js';
import { CurrentIdentity } from '../auth/current-identity.decorator.js';
import type { HttpResponse } from '../common/http-response.js';
import { JsonBodyGuard } from '../common/json-body.guard.js';
import { PageQuery } from '../common/page.query.js';
import { UuidParamPipe } from '../common/uuid-param.pipe.js';
import { ErrorResponse } from '../errors/error.response.js';
import { Idempotent, IdempotencyAnchor } from '../idempotency/idempotent.decorator.js';
import { FleetQuery } from './fleet-filter.query.js';
import { FleetOverviewService } from './fleet-overview.service.js';
import { FleetRunsService } from './fleet-runs.service.js';
import { FleetBatchCreatedResponse, FleetBatchResponse, FleetPageResponse } from './fleet.response.js';
import { StartFleetRunBody } from './start-fleet-run.body.js';

@ApiTags('fleet')
@Authenticated()
@ApiBadRequestResponse({ type: ErrorResponse, description: 'A malformed query, path or body; the message names the field.' })
@ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'run-service did not answer in time; safe to retry.' })
@Controller('api/fleet')
export class FleetController {
  constructor(
    private readonly overview: FleetOverviewService,
    private readonly fleetRuns: FleetRunsService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Every tenant the caller can see, at a glance',
    description:
      "Per tenant: health from the latest access check, the last successful backup (time, set, item count), the last failed run, " +
      'active runs, enabled schedules with their last outcome, and drift from the latest drift check. Members see their tenants; ' +
      'directory admins every tenant. Filters combine (all must hold); pages follow the order (a page is computed per request, ' +
      'so a tenant may move between pages while runs end).',
  })
  @ApiOkResponse({ type: FleetPageResponse })
  page(@CurrentIdentity() identity: AuthenticatedIdentity, @Query() query: FleetQuery): Promise<FleetPageResponse> {
    return this.overview.page(identity, query);
  }

  @Post('runs')
  @UseGuards(JsonBodyGuard)
  @Idempotent()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Start the same run in many tenants',
    description:
      'One run per tenant through the same start as POST /api/tenants/:tenantId/runs: the role the type needs is checked per ' +
      'tenant, and a tenant where the same work is already queued or running reuses that run. Tenants where no run starts ' +
      '(role too low, tenant disabled) are listed as rejected with a reason code; the others are not held back by them. The ' +
      'batch is kept: follow it at GET /api/fleet/batches/:batchId (Location).',
  })
  @ApiCreatedResponse({ type: FleetBatchCreatedResponse, description: 'The batch, with what happened in each tenant.' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'A listed tenant the caller cannot see (nothing is started).' })
  async start(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Body() body: StartFleetRunBody,
    @IdempotencyAnchor() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<FleetBatchCreatedResponse> {
    const batch = await this.fleetRuns.start(identity, body, { idempotencyKey });
    response.header('Location', `/api/fleet/batches/${batch.id}`);
    return batch;
  }

  @Get('batches/:batchId')
  @ApiOperation({
    summary: 'A fleet batch and the status of its runs now',
    description: 'Counts per status over the tenants the caller can see, done once none is queued or running, and a page of the tenants.',
  })
  @ApiParam({ name: 'batchId', format: 'uuid' })
  @ApiOkResponse({ type: FleetBatchResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No such batch.' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'None of the batch\'s tenants is one the caller can see (any more).' })
  batch(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Param('batchId', UuidParamPipe) batchId: string,
    @Query() page: PageQuery,
  ): Promise<FleetBatchResponse> {
    return this.fleetRuns.batch(identity, batchId, page);
  }
}

import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { DEFAULT_PAGE_SIZE } from '@policyvault/contracts';
import { Authenticated } from '../auth/authenticated.decorator.js';
import type { AuthenticatedIdentity } from '../auth/authenticated-identity.js';
import { CurrentIdentity } from '../auth/current-identity.decorator.js';
import { requireDirectoryAdmin } from '../auth/require-directory-admin.js';
import { isMediaType, type BodyRequest } from '../common/http-request.js';
import type { HttpResponse } from '../common/http-response.js';
import { JsonBodyGuard } from '../common/json-body.guard.js';
import { PageQuery } from '../common/page.query.js';
import { ErrorResponse } from '../errors/error.response.js';
import { Idempotent, IdempotencyAnchor } from '../idempotency/idempotent.decorator.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { BulkOnboardingService } from './bulk-onboarding.service.js';
import { MAX_BULK_ROWS } from './tenant-csv.js';
import { TenantDirectoryRepository } from './tenant-directory.repository.js';
import { TenantHealthReader } from './tenant-health.reader.js';
import { TenantLifecycleService } from './tenant-lifecycle.service.js';
import { tenantListCursor, tenantListPosition } from './tenant-list-cursor.js';
import { CreateTenantBody } from './tenant.body.js';
import { BulkOnboardingResponse, OnboardedTenantResponse, TenantPageResponse } from './tenant.response.js';
import { toTenantResponse } from './tenant-view.mapper.js';

const ADMIN_ONLY = 'The caller is not an MSP administrator (directory role admin).';
const CSV_EXAMPLE = 'directoryId,domain,displayName,tags\n7c1f2a3b-4d5e-4f60-8a71-92b3c4d5e601,,Contoso,gold;eu\n,fabrikam.onmicrosoft.com,Fabrikam,\n';

/** The tenant directory as a whole: the caller's tenants (every tenant for an administrator) and onboarding. */
@ApiTags('tenants')
@Authenticated()
@Controller('api/tenants')
export class TenantsController {
  constructor(
    private readonly directory: TenantDirectoryRepository,
    private readonly health: TenantHealthReader,
    private readonly lifecycle: TenantLifecycleService,
    private readonly bulk: BulkOnboardingService,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The caller's tenants",
    description:
      'Every tenant the caller is a member of (every tenant for an MSP administrator, as owner), with their role, tags, ' +
      'whether it was removed (disabledAt) and its health from the latest access check, ordered by name. Empty for a user without memberships.',
  })
  @ApiOkResponse({ type: TenantPageResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'A malformed limit or cursor.' })
  async list(@CurrentIdentity() identity: AuthenticatedIdentity, @Query() query: PageQuery): Promise<TenantPageResponse> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.directory.pageVisible(identity, tenantListPosition(query.cursor), limit + 1);
    const page = rows.slice(0, limit);
    const health = await this.health.forTenants(page.map((row) => row.id));
    return {
      items: page.map((row) => toTenantResponse(row, health.get(row.id) ?? null)),
      nextCursor: rows.length > limit ? tenantListCursor(page[page.length - 1]) : null,
    };
  }

  @Post()
  @UseGuards(JsonBodyGuard)
  @Idempotent()
  @ApiOperation({
    summary: 'Onboard a customer tenant (MSP administrators)',
    description:
      'By directory id, or by a domain verified in the customer\'s directory (resolved through Entra\'s OpenID discovery). ' +
      'Answers the tenant, the admin-consent link for the MSP\'s app, and the tenant.verify_access run it started.',
  })
  @ApiCreatedResponse({ type: OnboardedTenantResponse, description: 'Location names the new tenant.' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'A malformed body; neither or both of directoryId and domain.' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: ADMIN_ONLY })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No Entra directory has verified the domain.' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'A tenant with this directory id exists (also a removed one: its data is kept).' })
  @ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'The identity authority did not answer the discovery in time; safe to retry.' })
  async create(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Body() body: CreateTenantBody,
    @IdempotencyAnchor() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<OnboardedTenantResponse> {
    requireDirectoryAdmin(identity, 'onboarding a tenant');
    const directoryId = await this.lifecycle.resolveDirectoryId(body);
    const onboarded = await this.lifecycle.onboard(identity, { directoryId, displayName: body.displayName, tags: body.tags }, { idempotencyKey });
    response.header('Location', `/api/tenants/${onboarded.tenant.id}`);
    return onboarded;
  }

  @Post('bulk')
  @Idempotent()
  @HttpCode(HttpStatus.OK)
  @ApiConsumes('text/csv')
  @ApiBody({
    schema: { type: 'string', example: CSV_EXAMPLE },
    description:
      `A CSV with a header naming directoryId and/or domain, displayName, and optionally tags (separated by ;); at most ${MAX_BULK_ROWS} rows, ` +
      'each naming exactly one of directoryId and domain.',
  })
  @ApiOperation({
    summary: 'Onboard many tenants from a CSV body (MSP administrators)',
    description:
      'Each row is onboarded as POST /api/tenants would, in line order; the answer lists per line either the created tenant ' +
      '(with its consent link and access check run) or the error that row alone would have answered (400, 404, 409, 502, 503).',
  })
  @ApiOkResponse({ type: BulkOnboardingResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Not a text/csv body, no header, unknown columns, no rows or too many.' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: ADMIN_ONLY })
  async createMany(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Req() request: BodyRequest,
    @IdempotencyAnchor() idempotencyKey: string | undefined,
  ): Promise<BulkOnboardingResponse> {
    requireDirectoryAdmin(identity, 'onboarding tenants');
    if (!isMediaType(request, 'text/csv') || typeof request.body !== 'string') throw GatewayException.invalidRequest('body: must be sent as Content-Type: text/csv');
    return this.bulk.onboard(identity, request.body, { idempotencyKey });
  }
}

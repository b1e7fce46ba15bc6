import { Controller, Get, HttpStatus, Param, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { PolicyVersionComparison } from '@policyvault/contracts';
import type { HttpResponse } from '../common/http-response.js';
import { UuidParamPipe } from '../common/uuid-param.pipe.js';
import { ErrorResponse } from '../errors/error.response.js';
import { CurrentTenantAccess } from '../tenants/current-tenant-access.decorator.js';
import { OTHER_TENANT_RULE } from '../tenants/other-tenant.interceptor.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { TenantScoped } from '../tenants/tenant-scoped.decorator.js';
import { VersionCompareQuery } from './version-compare.query.js';
import { LiveComparisonStartedResponse, PolicyVersionComparisonResponse } from './version-compare.response.js';
import { VersionCompareService, type LiveComparisonStarted } from './version-compare.service.js';

/** A stored version of a policy compared with another, or with the live object by way of a capture run. */
@ApiTags('policies')
@TenantScoped()
@ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'The backup store or run-service did not answer in time; safe to retry.' })
@Controller('api/tenants/:tenantId/policies/:policyId/versions/compare')
export class VersionCompareController {
  constructor(private readonly versionCompare: VersionCompareService) {}

  @Get()
  @ApiOperation({
    summary: 'The field-level differences between a stored version of a policy and another version or the live object',
    description:
      'The same normalization and diff as a restore preview and a drift check (ids, timestamps, version and annotations ignored; order-free ' +
      'arrays compared by a stable key), always between two stored versions of the policy.\n\n' +
      '- `to=<versionId>`: both versions must belong to the policy; 200 with the diff. Any member (reader and up) may read.\n' +
      '- `to=live`: reading Graph is a run. This starts a `policy.capture_snapshot` run of the policy exactly as `POST …/runs` does ' +
      '(operator and up, so a reader gets 403; an identical active capture is reused) and answers 202 with `{ run, reused, compareWhenDone }` ' +
      'and a Location naming the run. The capture stores the live object as a version (or finds it already stored).\n' +
      '- `to=run:<runId>` (the `compareWhenDone` URL): the version that capture run recorded; 200 with the diff once the run has ended, ' +
      '409 while it is queued or running, 422 when it ended without a version (the policy could not be read; the message says why), ' +
      '404 when the run is not a capture of this policy in this tenant. Any member may read.',
  })
  @ApiParam({ name: 'policyId', format: 'uuid' })
  @ApiOkResponse({ type: PolicyVersionComparisonResponse })
  @ApiAcceptedResponse({ type: LiveComparisonStartedResponse, description: '`to=live`: the capture run; GET `compareWhenDone` once it has ended.' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: '`to=live` needs the operator role (it starts a capture run).' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: `The policy, a version, or the run is not in this tenant (or not of this policy). ${OTHER_TENANT_RULE}` })
  @ApiConflictResponse({ type: ErrorResponse, description: '`to=run:<runId>` while the run is still queued or running; or `to=live` in a removed tenant (tenant_disabled).' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponse, description: '`to=run:<runId>`: the run ended without recording a version of the policy.' })
  async compare(
    @CurrentTenantAccess() access: TenantAccess,
    @Param('policyId', UuidParamPipe) policyId: string,
    @Query() query: VersionCompareQuery,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<PolicyVersionComparison | LiveComparisonStarted> {
    const answer = await this.versionCompare.compare(access, policyId, query.from, query.to);
    if (answer.kind === 'compared') return answer.comparison;
    response.status(HttpStatus.ACCEPTED).header('Location', `/api/tenants/${access.tenantId}/runs/${answer.started.run.id}`);
    return answer.started;
  }
}

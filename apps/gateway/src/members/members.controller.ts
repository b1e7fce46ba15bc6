import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Res, UseGuards } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { TenantRole } from '@policyvault/contracts';
import type { HttpResponse } from '../common/http-response.js';
import { JsonBodyGuard } from '../common/json-body.guard.js';
import { UuidParamPipe } from '../common/uuid-param.pipe.js';
import { ErrorResponse } from '../errors/error.response.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { CurrentTenantAccess } from '../tenants/current-tenant-access.decorator.js';
import { OTHER_TENANT_RULE } from '../tenants/other-tenant.interceptor.js';
import { requireRole } from '../tenants/require-role.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { TenantScoped } from '../tenants/tenant-scoped.decorator.js';
import { AddMemberBody, ChangeMemberBody } from './member.body.js';
import { MemberDirectoryService } from './member-directory.service.js';
import { MemberListResponse, MemberResponse } from './member.response.js';

const MANAGING = 'managing members';
const NOT_A_MEMBER = `The user is not a member of this tenant. ${OTHER_TENANT_RULE}`;
const LAST_OWNER = 'The change would leave the tenant without an owner.';

/** Who may do what in a tenant: its owners and MSP administrators manage it (an administrator counts as owner). */
@ApiTags('members')
@TenantScoped()
@Controller('api/tenants/:tenantId/members')
export class MembersController {
  constructor(private readonly members: MemberDirectoryService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's members, by email", description: 'Owners of the tenant and MSP administrators.' })
  @ApiOkResponse({ type: MemberListResponse })
  async list(@CurrentTenantAccess() access: TenantAccess): Promise<MemberListResponse> {
    requireRole(access, TenantRole.Owner, MANAGING);
    return { items: await this.members.list(access.tenantId) };
  }

  @Post()
  @UseGuards(JsonBodyGuard)
  @Idempotent()
  @ApiOperation({
    summary: 'Add a member',
    description: 'By email, with a role; a user PolicyVault does not know yet is created. Owners of the tenant and MSP administrators.',
  })
  @ApiCreatedResponse({ type: MemberResponse, description: 'Location names the membership.' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'The user is a member already (change the role with PATCH).' })
  async add(@CurrentTenantAccess() access: TenantAccess, @Body() body: AddMemberBody, @Res({ passthrough: true }) response: HttpResponse): Promise<MemberResponse> {
    requireRole(access, TenantRole.Owner, MANAGING);
    const member = await this.members.add(access.tenantId, body);
    response.header('Location', `/api/tenants/${access.tenantId}/members/${member.userId}`);
    return member;
  }

  @Patch(':userId')
  @UseGuards(JsonBodyGuard)
  @ApiOperation({ summary: "Change a member's role", description: 'Owners of the tenant and MSP administrators; the last owner cannot be demoted (409).' })
  @ApiParam({ name: 'userId', format: 'uuid' })
  @ApiOkResponse({ type: MemberResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: NOT_A_MEMBER })
  @ApiConflictResponse({ type: ErrorResponse, description: LAST_OWNER })
  changeRole(
    @CurrentTenantAccess() access: TenantAccess,
    @Param('userId', UuidParamPipe) userId: string,
    @Body() body: ChangeMemberBody,
  ): Promise<MemberResponse> {
    requireRole(access, TenantRole.Owner, MANAGING);
    return this.members.changeRole(access.tenantId, userId, body.role);
  }

  @Delete(':userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove a member', description: 'Owners of the tenant and MSP administrators; the last owner cannot be removed (409).' })
  @ApiParam({ name: 'userId', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: NOT_A_MEMBER })
  @ApiConflictResponse({ type: ErrorResponse, description: LAST_OWNER })
  async remove(@CurrentTenantAccess() access: TenantAccess, @Param('userId', UuidParamPipe) userId: string): Promise<void> {
    requireRole(access, TenantRole.Owner, MANAGING);
    await this.members.remove(access.tenantId, userId);
  }
}

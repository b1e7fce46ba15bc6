import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, UseGuards } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { TenantRole } from '@policyvault/contracts';
import type { AuthenticatedIdentity } from '../auth/authenticated-identity.js';
import { CurrentIdentity } from '../auth/current-identity.decorator.js';
import { requireDirectoryAdmin } from '../auth/require-directory-admin.js';
import { JsonBodyGuard } from '../common/json-body.guard.js';
import { ErrorResponse } from '../errors/error.response.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { CurrentTenantAccess } from './current-tenant-access.decorator.js';
import { requireRole } from './require-role.js';
import type { TenantAccess } from './tenant-access.js';
import { TenantDirectoryRepository } from './tenant-directory.repository.js';
import { TenantHealthReader } from './tenant-health.reader.js';
import { TenantLifecycleService } from './tenant-lifecycle.service.js';
import { TenantScoped } from './tenant-scoped.decorator.js';
import { UpdateTenantBody } from './tenant.body.js';
import { TenantResponse } from './tenant.response.js';
import { toTenantResponse } from './tenant-view.mapper.js';

/** One tenant: read it (any member), rename and tag it (owners), remove it (MSP administrators). */
@ApiTags('tenants')
@TenantScoped()
@Controller('api/tenants/:tenantId')
export class TenantController {
  constructor(
    private readonly directory: TenantDirectoryRepository,
    private readonly health: TenantHealthReader,
    private readonly lifecycle: TenantLifecycleService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'One tenant, with the caller\'s role and its health', description: 'Any member (reader and up) may read.' })
  @ApiOkResponse({ type: TenantResponse })
  get(@CurrentIdentity() identity: AuthenticatedIdentity, @CurrentTenantAccess() access: TenantAccess): Promise<TenantResponse> {
    return this.view(identity, access);
  }

  @Patch()
  @UseGuards(JsonBodyGuard)
  @ApiOperation({ summary: 'Rename or tag a tenant', description: 'Owners of the tenant and MSP administrators; tags given replace the tags.' })
  @ApiOkResponse({ type: TenantResponse })
  async update(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @CurrentTenantAccess() access: TenantAccess,
    @Body() body: UpdateTenantBody,
  ): Promise<TenantResponse> {
    if (Object.keys(body).length === 0) throw GatewayException.invalidRequest('body: must change at least one field');
    requireRole(access, TenantRole.Owner, 'changing the tenant');
    await this.lifecycle.update(access.tenantId, body);
    return this.view(identity, access);
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Remove a tenant (MSP administrators)',
    description:
      'Disables the tenant at once: every run start answers 409 tenant_disabled, its backup schedules are paused and its ' +
      'queued and running runs are canceled in run-service (audit event run.canceled, reason tenant_removed; a running run ' +
      'stops at its next checkpoint). Its data (runs, backups, previews, drift reports, notifications, memberships) is kept ' +
      'for REMOVED_TENANT_RETENTION_MS (run-service, default 30 days) after disabledAt, then purged from every service; the ' +
      'audit trail is kept (README: retention). Asking again is harmless.',
  })
  @ApiNoContentResponse({ description: 'Disabled, schedules paused, active runs canceled.' })
  @ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'run-service did not answer in time (the tenant is disabled); ask again.' })
  async remove(@CurrentIdentity() identity: AuthenticatedIdentity, @CurrentTenantAccess() access: TenantAccess): Promise<void> {
    requireDirectoryAdmin(identity, 'removing a tenant');
    await this.lifecycle.remove(identity, access);
  }

  private async view(identity: AuthenticatedIdentity, access: TenantAccess): Promise<TenantResponse> {
    const row = await this.directory.findVisible(identity, access.tenantId);
    // The guard's answer may be cached (MEMBERSHIP_CACHE_TTL_MS): a membership removed meanwhile (a member
    // removed, a removed tenant purged) answers as the guard will once the cache has expired.
    if (!row) throw new GatewayException(GatewayErrorCode.TenantAccessDenied, 'you are not a member of this tenant');
    const health = await this.health.forTenants([row.id]);
    return toTenantResponse(row, health.get(row.id) ?? null);
  }
}

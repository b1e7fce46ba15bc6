import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/authenticated.decorator.js';
import type { AuthenticatedIdentity } from '../auth/authenticated-identity.js';
import { CurrentIdentity } from '../auth/current-identity.decorator.js';
import { TenantListResponse } from './tenant.response.js';
import { TenantDirectoryRepository } from './tenant-directory.repository.js';

@ApiTags('tenants')
@Authenticated()
@Controller('api/tenants')
export class TenantsController {
  constructor(private readonly directory: TenantDirectoryRepository) {}

  @Get()
  @ApiOperation({
    summary: "The caller's tenants",
    description: 'Every tenant the caller is a member of, with their role, ordered by name. Empty for a user without memberships.',
  })
  @ApiOkResponse({ type: TenantListResponse })
  async list(@CurrentIdentity() identity: AuthenticatedIdentity): Promise<TenantListResponse> {
    const memberships = await this.directory.listMemberships(identity.email);
    return {
      items: memberships.map((row) => ({ id: row.tenantId, displayName: row.displayName, directoryId: row.directoryId, role: row.role })),
    };
  }
}

import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/authenticated.decorator.js';
import type { AuthenticatedIdentity } from '../auth/authenticated-identity.js';
import { CurrentIdentity } from '../auth/current-identity.decorator.js';
import { TenantDirectoryRepository } from '../tenants/tenant-directory.repository.js';
import { MeResponse } from './me.response.js';

@ApiTags('me')
@Authenticated()
@Controller('api/me')
export class MeController {
  constructor(private readonly directory: TenantDirectoryRepository) {}

  @Get()
  @ApiOperation({ summary: 'The caller: who they are, their directory role and their memberships' })
  @ApiOkResponse({ type: MeResponse })
  async me(@CurrentIdentity() identity: AuthenticatedIdentity): Promise<MeResponse> {
    const [user, memberships] = await Promise.all([this.directory.findUser(identity.email), this.directory.listMemberships(identity.email)]);
    return {
      userId: user?.id ?? null,
      email: identity.email,
      displayName: user?.displayName ?? null,
      directoryRole: user?.directoryRole ?? null,
      memberships: memberships.map((row) => ({
        tenantId: row.tenantId,
        displayName: row.displayName,
        directoryId: row.directoryId,
        role: row.role,
        disabledAt: row.disabledAt ? new Date(row.disabledAt).toISOString() : null,
      })),
    };
  }
}

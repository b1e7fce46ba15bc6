import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiParam, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuthenticationGuard } from '../auth/authentication.guard.js';
import { ErrorResponse } from '../errors/error.response.js';
import { RATE_LIMITED, RateLimitGuard } from '../rate-limits/rate-limit.guard.js';
import { TenantAccessGuard } from './tenant-access.guard.js';

/** A controller whose routes all live under /api/tenants/:tenantId: authenticated, then membership-checked, then rate-limited. */
export function TenantScoped(): ClassDecorator {
  return applyDecorators(
    UseGuards(AuthenticationGuard, TenantAccessGuard, RateLimitGuard),
    ApiBearerAuth(),
    ApiParam({ name: 'tenantId', format: 'uuid', description: 'A tenant the caller is a member of.' }),
    ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No bearer token, or an invalid or expired one.' }),
    ApiForbiddenResponse({
      type: ErrorResponse,
      description:
        'The caller is not a member of this tenant (also when the tenant does not exist), or their role is too low, or an id in the ' +
        'path is held by a tenant the caller is not a member of.',
    }),
    ApiBadRequestResponse({ type: ErrorResponse, description: 'A malformed path, query or body; the message names the field.' }),
    ApiTooManyRequestsResponse({ type: ErrorResponse, description: RATE_LIMITED }),
  );
}

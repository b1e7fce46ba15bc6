import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponse } from '../errors/error.response.js';
import { RATE_LIMITED, RateLimitGuard } from '../rate-limits/rate-limit.guard.js';
import { AuthenticationGuard } from './authentication.guard.js';

/** Every API controller wears this (or TenantScoped, which includes it): no route is public by accident, none unlimited. */
export function Authenticated(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    UseGuards(AuthenticationGuard, RateLimitGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No bearer token, or an invalid or expired one.' }),
    ApiTooManyRequestsResponse({ type: ErrorResponse, description: RATE_LIMITED }),
  );
}

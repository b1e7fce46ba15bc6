import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponse } from '../errors/error.response.js';
import { AuthenticationGuard } from './authentication.guard.js';

/** Every API controller wears this (or TenantScoped, which includes it): no route is public by accident. */
export function Authenticated(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    UseGuards(AuthenticationGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No bearer token, or an invalid or expired one.' }),
  );
}

import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { GatewayRequest } from '../common/gateway-request.js';
import type { AuthenticatedIdentity } from './authenticated-identity.js';

/** The verified caller (only on routes behind AuthenticationGuard). */
export const CurrentIdentity = createParamDecorator((_: unknown, context: ExecutionContext): AuthenticatedIdentity => {
  const identity = context.switchToHttp().getRequest<GatewayRequest>().identity;
  if (!identity) throw new Error('CurrentIdentity used on a route without AuthenticationGuard');
  return identity;
});

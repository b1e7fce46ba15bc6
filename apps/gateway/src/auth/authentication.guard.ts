import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { GatewayRequest } from '../common/gateway-request.js';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { DirectoryUserLookup } from './directory-user.lookup.js';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * 401 unless the request carries a valid bearer token; puts the caller's identity on the request,
 * with their user id and directory role from the gateway's directory (the token does not carry them).
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly users: DirectoryUserLookup,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<GatewayRequest>();
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match) {
      throw new GatewayException(GatewayErrorCode.Unauthenticated, 'an Authorization: Bearer <token> header is required');
    }
    const token = await this.verifier.verify(match[1]);
    request.identity = { ...token, ...(await this.users.find(token.email)) };
    return true;
  }
}

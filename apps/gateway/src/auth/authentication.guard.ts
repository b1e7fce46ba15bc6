import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { GatewayRequest } from '../common/gateway-request.js';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { AccessTokenVerifier } from './access-token.verifier.js';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** 401 unless the request carries a valid bearer token; puts the caller's identity on the request. */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(private readonly verifier: AccessTokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<GatewayRequest>();
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match) {
      throw new GatewayException(GatewayErrorCode.Unauthenticated, 'an Authorization: Bearer <token> header is required');
    }
    request.identity = await this.verifier.verify(match[1]);
    return true;
  }
}

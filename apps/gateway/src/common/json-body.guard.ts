import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { GatewayException } from '../errors/gateway.exception.js';
import { isMediaType, type BodyRequest } from './http-request.js';

/**
 * On routes that take a body: it must be a JSON object sent as application/json. Without this an
 * array or a form would reach validation and fail with messages about fields it never had.
 * A method-level guard, so it runs after authentication and tenant membership (401/403 first).
 */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<BodyRequest>();
    if (!isMediaType(request, 'application/json')) throw GatewayException.invalidRequest('body: must be sent as Content-Type: application/json');
    const body: unknown = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw GatewayException.invalidRequest('body: must be a JSON object');
    return true;
  }
}

/**
 * Like JsonBodyGuard, for routes whose body is optional (`POST /api/notifications/read-all`): a
 * request without a body is taken as `{}`; one with a body must be a JSON object.
 */
@Injectable()
export class OptionalJsonBodyGuard implements CanActivate {
  private readonly json = new JsonBodyGuard();

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<BodyRequest>();
    const length = request.headers['content-length'];
    const hasBody = request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
    if (!hasBody) {
      request.body = {};
      return true;
    }
    return this.json.canActivate(context);
  }
}

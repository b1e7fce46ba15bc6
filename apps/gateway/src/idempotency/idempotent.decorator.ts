import { applyDecorators, createParamDecorator, UseInterceptors, type ExecutionContext } from '@nestjs/common';
import { ApiHeader, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { GatewayRequest } from '../common/gateway-request.js';
import { ErrorResponse } from '../errors/error.response.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

const DESCRIPTION =
  'Optional; 1–255 visible ASCII characters (a UUID is a good key). The first request with a key runs and its answer ' +
  '(status, body, Location) is kept for 24 hours: the same key and body again answers it again, with ' +
  '`Idempotent-Replayed: true`, even from another gateway replica or after a restart; the same key with a different body is ' +
  '422; while the first request is still running, 409 with Retry-After. Keys are per user and per route (with its tenant). ' +
  'A refused request (4xx) frees its key. Send the same key when retrying after a lost answer.';

/** A route that creates something: it honours `Idempotency-Key` (IdempotencyInterceptor). */
export function Idempotent(): MethodDecorator {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: DESCRIPTION, schema: { type: 'string', minLength: 1, maxLength: 255 } }),
    ApiUnprocessableEntityResponse({ type: ErrorResponse, description: 'The Idempotency-Key was used with a different body on this route.' }),
  );
}

/** The anchor of the request's Idempotency-Key claim (to pass down to run-service), or undefined without a key. */
export const IdempotencyAnchor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined => context.switchToHttp().getRequest<GatewayRequest>().idempotencyAnchor,
);

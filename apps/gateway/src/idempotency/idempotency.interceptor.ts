import { HttpException, Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { from, lastValueFrom, of, type Observable } from 'rxjs';
import type { GatewayRequest } from '../common/gateway-request.js';
import type { HttpResponse } from '../common/http-response.js';
import { httpStatusOf } from '../errors/gateway-exception.filter.js';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { IdempotencyKeyRepository } from './idempotency-key.repository.js';
import { idempotencyKeyOf, idempotencyScopeOf, requestHashOf } from './idempotency-request.js';

/**
 * How long a claim is taken to belong to a running request. Longer than any creating route takes (a
 * start waits RUN_SERVICE_TIMEOUT_MS at most; a fleet start or a CSV of 500 rows takes seconds); a
 * claim whose gateway died is taken over by a retry after this.
 */
export const IDEMPOTENCY_LEASE_MS = 60_000;
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * `Idempotency-Key` on the routes that create something (`@Idempotent()`): the first request with a key
 * runs and its answer (2xx status, body, Location) is stored; the same key and body within 24 h gets
 * that answer again (`Idempotent-Replayed: true`), a different body 422, and a request while the first
 * is still running 409 with Retry-After. Keys are per user and per route with its path ids. A refused
 * request (4xx) frees its key; one that failed otherwise (5xx, a lost gateway) keeps its claim, so the
 * retry runs under the same anchor (`request.idempotencyAnchor`) and run-service answers what the first
 * one started. Runs after the guards (401/403 first), before validation.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(private readonly keys: IdempotencyKeyRepository) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<GatewayRequest>();
    const response = context.switchToHttp().getResponse<HttpResponse>();
    const key = idempotencyKeyOf(request);
    // A caller without a directory row gets 403 on every creating route: nothing to remember.
    const userId = request.identity?.userId;
    if (key === undefined || !userId) return next.handle();

    const claim = await this.keys.claim({ userId, scope: idempotencyScopeOf(request), key, requestHash: requestHashOf(request.body) }, IDEMPOTENCY_LEASE_MS);
    switch (claim.kind) {
      case 'replay':
        response.status(claim.answer.status);
        if (claim.answer.location) response.header('Location', claim.answer.location);
        response.header(REPLAYED_HEADER, 'true');
        return of(claim.answer.body);
      case 'different_body':
        throw new GatewayException(
          GatewayErrorCode.IdempotencyKeyReused,
          `Idempotency-Key ${key} was used with a different request body on this route within the last 24 hours; send a new key for a new request`,
        );
      case 'in_progress':
        throw new GatewayException(GatewayErrorCode.IdempotencyKeyInProgress, `a request with Idempotency-Key ${key} is still being processed; retry once it has answered`);
      case 'run':
        request.idempotencyAnchor = claim.id;
        return from(this.run(claim.id, next, response));
    }
  }

  private async run(id: string, next: CallHandler, response: HttpResponse): Promise<unknown> {
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      await (isRefusal(error) ? this.keys.forget(id) : this.keys.release(id)).catch((failure: unknown) => this.warn(failure, 'could not settle an idempotency key'));
      throw error;
    }
    const location = response.getHeader('location');
    // Stored before the answer leaves. If storing fails the answer still goes out; a retry then runs
    // again under the same anchor (run-service answers the same run or schedule).
    await this.keys
      .answer(id, { status: response.statusCode, body, location: typeof location === 'string' ? location : null })
      .catch((failure: unknown) => this.warn(failure, 'could not store the answer of an idempotency key'));
    return body;
  }

  private warn(failure: unknown, message: string): void {
    this.logger.warn({ err: { name: (failure as Error).name, message: (failure as Error).message } }, message);
  }
}

/** A 4xx: the request was refused before it made anything. */
function isRefusal(error: unknown): boolean {
  if (error instanceof GatewayException) return httpStatusOf(error.code) < 500;
  if (error instanceof HttpException) return error.getStatus() < 500;
  return false;
}

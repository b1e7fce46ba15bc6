import { STATUS_CODES } from 'node:http';
import { Catch, HttpException, HttpStatus, Logger, ServiceUnavailableException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { isDatabaseUnavailableError } from '@policyvault/platform';
import { bodyTooLarge } from '../common/request-body-deadline.js';
import { GatewayConfig } from '../gateway.config.js';
import { assertNever } from './assert-never.js';
import { GatewayErrorCode } from './gateway-error-code.js';
import { GatewayException } from './gateway.exception.js';

export function httpStatusOf(code: GatewayErrorCode): HttpStatus {
  switch (code) {
    case GatewayErrorCode.Unauthenticated:
      return HttpStatus.UNAUTHORIZED;
    case GatewayErrorCode.TenantAccessDenied:
    case GatewayErrorCode.InsufficientRole:
      return HttpStatus.FORBIDDEN;
    case GatewayErrorCode.InvalidRequest:
      return HttpStatus.BAD_REQUEST;
    case GatewayErrorCode.NotFound:
      return HttpStatus.NOT_FOUND;
    case GatewayErrorCode.Conflict:
    case GatewayErrorCode.TenantDisabled:
    case GatewayErrorCode.IdempotencyKeyInProgress:
      return HttpStatus.CONFLICT;
    case GatewayErrorCode.RunProducedNothing:
    case GatewayErrorCode.IdempotencyKeyReused:
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case GatewayErrorCode.RateLimited:
      return HttpStatus.TOO_MANY_REQUESTS;
    case GatewayErrorCode.IdentityProviderUnavailable:
    case GatewayErrorCode.UpstreamUnavailable:
    case GatewayErrorCode.DatabaseUnavailable:
      return HttpStatus.SERVICE_UNAVAILABLE;
    case GatewayErrorCode.UpstreamFailed:
      return HttpStatus.BAD_GATEWAY;
    default:
      return assertNever(code);
  }
}

interface ErrorReply {
  status: number;
  message: string | string[];
  headers?: Record<string, string>;
}

/**
 * The one place an HTTP error body is made: `{ statusCode, error, message }`. Gateway exceptions map
 * by code; framework errors (unknown route, malformed JSON, oversized body) keep their 4xx meaning
 * with a message naming what was wrong; a lost or refused database connection (wherever it is thrown:
 * guard, service, repository) is a 503 with Retry-After; anything else is a bug, logged and answered 500
 * without details. (A downstream service's database outage arrives as its RPC `unavailable`: also 503.)
 */
@Catch()
export class GatewayExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('GatewayExceptionFilter');

  constructor(
    private readonly config: GatewayConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    // Answered through Nest's HTTP adapter (Fastify's reply, or the Node response of one written by hand).
    const http = this.adapterHost.httpAdapter;
    const response: unknown = host.switchToHttp().getResponse();
    const reply = this.toReply(exception);
    if (reply.status >= 500) this.logFailure(exception, reply.status);
    if (http.isHeadersSent(response)) return;
    // Fastify marks the connection for closing after a body it could not parse; Express kept it open (a body that did
    // not all arrive still closes it: requestBodyDeadline). Only then: a removed header also drops Node's Keep-Alive.
    if (hasHeaders(response) && response.getHeader('connection') === 'close') response.removeHeader('connection');
    for (const [name, value] of Object.entries(reply.headers ?? {})) http.setHeader(response, name, value);
    http.reply(
      response,
      {
        statusCode: reply.status,
        error: STATUS_CODES[reply.status] ?? 'Error',
        message: reply.message,
      },
      reply.status,
    );
  }

  private toReply(exception: unknown): ErrorReply {
    if (exception instanceof GatewayException) {
      const status = httpStatusOf(exception.code);
      return { status, message: exception.detail, headers: headersFor(exception) };
    }
    if (exception instanceof HttpException) return this.fromHttpException(exception);
    if (isDatabaseUnavailableError(exception)) {
      return this.toReply(new GatewayException(GatewayErrorCode.DatabaseUnavailable, 'the database is not available; try again shortly'));
    }
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, message: 'internal error' };
  }

  private fromHttpException(exception: HttpException): ErrorReply {
    const status = exception.getStatus();
    // The limit is a 400 like any other malformed input (callers treat 4xx alike); 413 is not used.
    if (status === HttpStatus.PAYLOAD_TOO_LARGE) {
      return { status: HttpStatus.BAD_REQUEST, message: bodyTooLarge(this.config.HTTP_BODY_LIMIT_BYTES) };
    }
    if (exception.cause instanceof SyntaxError) {
      return { status: HttpStatus.BAD_REQUEST, message: 'body: malformed JSON' };
    }
    if (exception.cause instanceof URIError) {
      return { status: HttpStatus.BAD_REQUEST, message: 'path: malformed percent-encoding' };
    }
    // Readiness (Terminus) while NATS or Postgres is lost: a 503 to retry, not an internal error.
    if (exception instanceof ServiceUnavailableException) return { status, message: 'not ready: NATS or Postgres is not reachable', headers: { 'Retry-After': '5' } };
    if (status >= 500) return { status, message: 'internal error' };
    const body = exception.getResponse();
    const message =
      typeof body === 'object' && body !== null && 'message' in body
        ? (body as { message: string | string[] }).message
        : exception.message;
    return { status, message };
  }

  private logFailure(exception: unknown, status: number): void {
    const error = exception instanceof Error ? exception : new Error(String(exception));
    const line = { status, err: { name: error.name, message: error.message } };
    // Expected failures (an outage, a readiness probe saying so) are warnings, without a stack.
    const expected = exception instanceof GatewayException || exception instanceof ServiceUnavailableException || isDatabaseUnavailableError(exception);
    if (expected) this.logger.warn(line);
    else this.logger.error({ ...line, err: { ...line.err, stack: error.stack } });
  }
}

function hasHeaders(response: unknown): response is { getHeader(name: string): unknown; removeHeader(name: string): unknown } {
  const candidate = response as { getHeader?: unknown; removeHeader?: unknown } | null;
  return typeof candidate?.getHeader === 'function' && typeof candidate.removeHeader === 'function';
}

function headersFor({ code, retryAfterSeconds }: GatewayException): Record<string, string> | undefined {
  if (code === GatewayErrorCode.Unauthenticated) return { 'WWW-Authenticate': 'Bearer realm="policyvault"' };
  if (retryAfterSeconds !== undefined) return { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) };
  if (code === GatewayErrorCode.UpstreamUnavailable || code === GatewayErrorCode.IdentityProviderUnavailable || code === GatewayErrorCode.IdempotencyKeyInProgress) {
    return { 'Retry-After': '1' };
  }
  if (code === GatewayErrorCode.DatabaseUnavailable) return { 'Retry-After': '5' };
  return undefined;
}

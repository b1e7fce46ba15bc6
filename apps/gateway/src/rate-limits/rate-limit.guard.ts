import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerModuleOptions, type ThrottlerStorage } from '@nestjs/throttler';
import type { GatewayRequest } from '../common/gateway-request.js';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import type { GatewayConfig } from '../gateway.config.js';

const USER = 'user';
export const RATE_LIMITED =
  'Too many requests from this user, or into this tenant by all its users, within the window (RATE_LIMIT_* of the gateway), ' +
  'or too many open live streams of this user (SSE_MAX_STREAMS_PER_USER); Retry-After says when to try again.';
const TENANT = 'tenant';

/**
 * Per-user and per-tenant request limits (@nestjs/throttler). Applied by `@Authenticated()` and
 * `@TenantScoped()` after their guards, so the caller (and the tenant they are a member of) is known
 * and a request refused with 401/403 counts for no one. Routes without a caller (health, the OpenAPI
 * document, the admin UI's files, public settings) are not limited.
 */
export function rateLimitOptions(config: GatewayConfig, storage: ThrottlerStorage): ThrottlerModuleOptions {
  const requestOf = (context: ExecutionContext) => context.switchToHttp().getRequest<GatewayRequest>();
  return {
    throttlers: [
      {
        name: USER,
        ttl: config.RATE_LIMIT_WINDOW_MS,
        limit: config.RATE_LIMIT_USER_REQUESTS,
        // A token of an unknown user (no directory row) is counted by its email.
        getTracker: (request) => {
          const { identity } = request as GatewayRequest;
          return identity?.userId ?? identity?.email ?? 'anonymous';
        },
      },
      {
        name: TENANT,
        ttl: config.RATE_LIMIT_WINDOW_MS,
        limit: config.RATE_LIMIT_TENANT_REQUESTS,
        getTracker: (request) => (request as GatewayRequest).tenantAccess?.tenantId ?? '',
        skipIf: (context) => !requestOf(context).tenantAccess,
      },
    ],
    // Retry-After comes with the 429 (GatewayExceptionFilter); no X-RateLimit-* headers.
    setHeaders: false,
    storage,
  };
}

@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  /** One counter per user and per tenant across every route (the default key is per route). */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const who = detail.key.startsWith(`${TENANT}:`) ? 'requests into this tenant by all its users' : 'requests from you';
    const variable = detail.key.startsWith(`${TENANT}:`) ? 'RATE_LIMIT_TENANT_REQUESTS' : 'RATE_LIMIT_USER_REQUESTS';
    throw new GatewayException(
      GatewayErrorCode.RateLimited,
      `too many requests: at most ${detail.limit} ${who} per ${detail.ttl / 1000} s on this gateway (${variable}); retry after ${detail.timeToBlockExpire} s`,
      detail.timeToBlockExpire,
    );
  }
}

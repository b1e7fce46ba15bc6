import { Global, Injectable, Module, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { GatewayRequest } from '../common/gateway-request.js';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { GatewayConfig } from '../gateway.config.js';

export const RATE_LIMITED =
  'Too many requests from this user, or into this tenant by all its users, within the window (RATE_LIMIT_* of the gateway), ' +
  'or too many open live streams of this user (SSE_MAX_STREAMS_PER_USER); Retry-After says when to try again.';

interface Limit {
  limiter: RateLimiterMemory;
  /** How the message names whose requests these are, and the variable that sets the limit. */
  whose: string;
  variable: string;
}

/** The process's counters (rate-limiter-flexible: a fixed window per key, in memory, so per gateway replica). */
@Injectable()
export class RateLimits {
  readonly user: Limit;
  readonly tenant: Limit;

  constructor(config: GatewayConfig) {
    const duration = config.RATE_LIMIT_WINDOW_MS / 1000;
    this.user = {
      limiter: new RateLimiterMemory({ keyPrefix: 'user', points: config.RATE_LIMIT_USER_REQUESTS, duration }),
      whose: 'requests from you',
      variable: 'RATE_LIMIT_USER_REQUESTS',
    };
    this.tenant = {
      limiter: new RateLimiterMemory({ keyPrefix: 'tenant', points: config.RATE_LIMIT_TENANT_REQUESTS, duration }),
      whose: 'requests into this tenant by all its users',
      variable: 'RATE_LIMIT_TENANT_REQUESTS',
    };
  }
}

/**
 * Per-user and per-tenant request limits. `@Authenticated()` and `@TenantScoped()` apply it after their
 * guards: the caller (and the tenant they are a member of) is known, and a request refused with 401/403
 * counts for no one. Routes without a caller (health, the OpenAPI document, the admin UI's files, public
 * settings) are not limited. Nest makes a guard per module; the counters are the one RateLimits.
 * (@nestjs/throttler is CommonJS requiring NestJS 12's ES-module packages, which jest's in-process tests
 * cannot load.)
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(private readonly limits: RateLimits) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { identity, tenantAccess } = context.switchToHttp().getRequest<GatewayRequest>();
    // A token of an unknown user (no directory row) is counted by its email.
    await this.consume(this.limits.user, identity?.userId ?? identity?.email ?? 'anonymous');
    if (tenantAccess) await this.consume(this.limits.tenant, tenantAccess.tenantId);
    return true;
  }

  private async consume({ limiter, whose, variable }: Limit, key: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      const seconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      throw new GatewayException(
        GatewayErrorCode.RateLimited,
        `too many requests: at most ${limiter.points} ${whose} per ${limiter.duration} s on this gateway (${variable}); retry after ${seconds} s`,
        seconds,
      );
    }
  }
}

/** The one RateLimits, for the RateLimitGuard of every module. */
@Global()
@Module({ providers: [RateLimits], exports: [RateLimits] })
export class RateLimitModule {}

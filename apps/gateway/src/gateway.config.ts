import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Length, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';
import { DatabaseConfig } from '@policyvault/platform';

export const AUTH_MODES = ['development', 'oidc'] as const;
const HTTP_ORIGIN = /^https?:\/\/[^\s/]+(:\d+)?\/?$/;
/** Production (OIDC sign-in) must name the MSP's app and consent redirect; development falls back to the emulator's. */
const requiredInProduction = (name: 'GRAPH_CLIENT_ID' | 'ADMIN_CONSENT_REDIRECT_URI') => (config: GatewayConfig) =>
  config.AUTH_MODE === 'oidc' || Boolean(config[name]);

/** docker compose passes unset optional variables as `''`: the same as not set. */
const emptyAsUnset = () => Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));
export type AuthMode = (typeof AUTH_MODES)[number];

/**
 * The gateway's environment. A missing or malformed variable stops the service at boot with its
 * name (platform's loadConfig); secrets are never echoed.
 */
export class GatewayConfig extends DatabaseConfig {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  override PORT: number = 3000;

  /** `development`: HS256 tokens signed with AUTH_DEV_SIGNING_KEY (`npm run token`); `oidc`: an identity provider's JWKS. */
  @IsIn(AUTH_MODES)
  AUTH_MODE: AuthMode;

  @ValidateIf((config: GatewayConfig) => config.AUTH_MODE === 'development')
  @IsString()
  @MinLength(32, { message: 'AUTH_DEV_SIGNING_KEY must be at least 32 characters' })
  AUTH_DEV_SIGNING_KEY?: string;

  /** e.g. https://login.microsoftonline.com/<msp-directory-id>/v2.0 */
  @ValidateIf((config: GatewayConfig) => config.AUTH_MODE === 'oidc')
  @IsUrl({ protocols: ['https'], require_protocol: true, require_tld: false }, { message: 'AUTH_OIDC_ISSUER must be an https URL' })
  AUTH_OIDC_ISSUER?: string;

  @ValidateIf((config: GatewayConfig) => config.AUTH_MODE === 'oidc')
  @IsString()
  @MinLength(1)
  AUTH_OIDC_AUDIENCE?: string;

  /** Defaults to the `jwks_uri` of the issuer's /.well-known/openid-configuration. */
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true, require_tld: false }, { message: 'AUTH_OIDC_JWKS_URI must be an https URL' })
  AUTH_OIDC_JWKS_URI?: string;

  /** The admin UI's Entra ID app registration (a single-page app: public client, no secret). Without it, oidc sign-in in the UI says it is not configured. */
  @emptyAsUnset()
  @IsOptional()
  @IsString()
  @MinLength(1)
  AUTH_UI_CLIENT_ID?: string;

  /** Defaults to AUTH_OIDC_ISSUER without `/v2.0` (https://login.microsoftonline.com/<msp-directory-id>). */
  @emptyAsUnset()
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true, require_tld: false }, { message: 'AUTH_UI_AUTHORITY must be an https URL' })
  AUTH_UI_AUTHORITY?: string;

  /** Space- or comma-separated scopes the UI asks for; defaults to `<AUTH_OIDC_AUDIENCE>/.default`. */
  @emptyAsUnset()
  @IsOptional()
  @IsString()
  AUTH_UI_SCOPES?: string;

  /** The built admin UI (vite build output); defaults to dist/apps/admin-ui next to the gateway's build. */
  @emptyAsUnset()
  @IsOptional()
  @IsString()
  ADMIN_UI_DIR?: string;

  /** How long the gateway waits for run-service before answering 503. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  RUN_SERVICE_TIMEOUT_MS: number = 5000;

  /** How long the gateway waits for the backup store (capture-worker) before answering 503. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  BACKUP_STORE_TIMEOUT_MS: number = 5000;

  /** How long the gateway waits for the restore-worker (restore previews) before answering 503. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  RESTORE_WORKER_TIMEOUT_MS: number = 5000;

  /** How long the gateway waits for the notifier before answering 503. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  NOTIFIER_TIMEOUT_MS: number = 5000;

  /** Live progress (SSE): a comment line this often keeps proxies from closing an idle stream. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(300_000)
  SSE_HEARTBEAT_MS: number = 15_000;

  /**
   * Live progress (SSE): a client whose socket does not drain within this long after the gateway's
   * write buffer filled is disconnected (it resumes with Last-Event-ID), so it holds no memory and
   * no one else waits for it.
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(300_000)
  SSE_DRAIN_TIMEOUT_MS: number = 10_000;

  /** Live progress (SSE): bytes the gateway buffers for one client before disconnecting it. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(64 * 1024 * 1024)
  SSE_MAX_BUFFERED_BYTES: number = 1024 * 1024;

  /**
   * How long a membership lookup is reused. Trade-off: a revoked membership (or lowered role) keeps
   * working on a replica for up to this long; in exchange the start path does no database round trip
   * for a user who keeps working in the same tenant. 0 disables the cache.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  MEMBERSHIP_CACHE_TTL_MS: number = 2000;

  /**
   * Entra's authority host (`https://login.microsoftonline.com`), or the Graph emulator's: onboarding
   * resolves a customer's domain to its directory id through its OpenID discovery document, and the
   * admin-consent link points there.
   */
  @IsString()
  @Matches(HTTP_ORIGIN, { message: 'GRAPH_AUTHORITY_HOST must be an http(s) origin such as https://login.microsoftonline.com' })
  GRAPH_AUTHORITY_HOST: string = 'https://login.microsoftonline.com';

  /**
   * The MSP's multi-tenant app registration (the admin-consent link's client_id). Required with
   * AUTH_MODE=oidc; in development an empty or missing value means the emulator's demo app.
   */
  @ValidateIf(requiredInProduction('GRAPH_CLIENT_ID'))
  @IsString()
  @Length(1, 200)
  GRAPH_CLIENT_ID?: string;

  /** Where Entra sends the customer's administrator after consenting (registered on the app). Required with AUTH_MODE=oidc. */
  @ValidateIf(requiredInProduction('ADMIN_CONSENT_REDIRECT_URI'))
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false }, { message: 'ADMIN_CONSENT_REDIRECT_URI must be an http(s) URL' })
  ADMIN_CONSENT_REDIRECT_URI?: string;

  /** How long onboarding waits for the authority's OpenID discovery of a domain before answering 503. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  TENANT_DISCOVERY_TIMEOUT_MS: number = 5000;

  /**
   * Rate limits (per gateway replica, fixed windows of RATE_LIMIT_WINDOW_MS): requests of one user, and
   * requests into one tenant's routes by all its users. Beyond either, 429 with Retry-After. Health, the
   * OpenAPI document and the admin UI's files are not counted.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  RATE_LIMIT_WINDOW_MS: number = 60_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  RATE_LIMIT_USER_REQUESTS: number = 6000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  RATE_LIMIT_TENANT_REQUESTS: number = 12_000;

  /** Live progress (SSE): streams one user may hold open on one gateway replica; one more is a 429. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  SSE_MAX_STREAMS_PER_USER: number = 50;

  /** A client must have sent a request's headers within this long, or its connection is closed (slow clients hold no socket). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(300_000)
  HTTP_HEADERS_TIMEOUT_MS: number = 10_000;

  /**
   * An idle keep-alive connection is closed after this long. Above the idle timeouts of the clients and proxies in
   * front (browsers, load balancers: often 60 s), so they close it first: a request sent on a connection the
   * server is closing at that moment fails on the client (a POST is not retried). Node's default is 5 s.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(900_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS: number = 65_000;

  /** A request's body must have arrived within this long after its headers, or the gateway answers 408 and closes the connection. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(300_000)
  HTTP_BODY_TIMEOUT_MS: number = 15_000;

  /** Largest accepted JSON body; big enough for a scope selecting the contract's maximum of 5000 items. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024)
  HTTP_BODY_LIMIT_BYTES: number = 256 * 1024;

  /** Largest import archive (`POST /api/tenants/:tenantId/imports`), streamed into the imports bucket; keep ≤ capture-worker's IMPORT_MAX_ARCHIVE_BYTES. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(4 * 1024 * 1024 * 1024)
  IMPORT_UPLOAD_LIMIT_BYTES: number = 256 * 1024 * 1024;

  /** An import archive's body must have arrived within this long after its headers (instead of HTTP_BODY_TIMEOUT_MS). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  IMPORT_UPLOAD_TIMEOUT_MS: number = 600_000;
}

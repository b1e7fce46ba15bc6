// Graph settings shared by the workers that call Microsoft Graph (capture-worker, restore-worker):
// validated at boot like every other variable, and turned into the one GraphClientFactory of a process.
import { Type } from 'class-transformer';
import { IsInt, IsString, Length, Matches, Max, Min, ValidateIf } from 'class-validator';
import { DEMO_GRAPH_APP } from '@policyvault/contracts';
import { IsConfiguredSecretKeyId, IsSecretKeyList, SecretCipher, WorkerConfig } from '@policyvault/platform';
import { createRedirectingNetworkClient } from '../auth/redirecting-network-client.js';
import { GraphClientFactory } from '../client/graph-client.factory.js';
import { DEFAULT_BREAKER } from '../client/tenant-context.js';
import { DEFAULT_THROTTLE_BACKOFF } from '../http/throttle-retry.js';
import { INTUNE_PACING } from '../pacing/request-pacer.js';

const HTTP_URL = /^https?:\/\/[^\s/]+(:\d+)?\/?$/;
const MICROSOFT_AUTHORITY = 'https://login.microsoftonline.com';

export class GraphWorkerConfig extends WorkerConfig {
  /** `https://graph.microsoft.com`, or the emulator (`http://127.0.0.1:3100`). */
  @IsString()
  @Matches(HTTP_URL, { message: 'GRAPH_BASE_URL must be an http(s) origin such as https://graph.microsoft.com' })
  GRAPH_BASE_URL: string = 'https://graph.microsoft.com';

  /**
   * `https://login.microsoftonline.com`; an `http://` host (the emulator) keeps MSAL's https authority
   * and redirects its token requests there (MSAL itself only talks https).
   */
  @IsString()
  @Matches(HTTP_URL, { message: 'GRAPH_AUTHORITY_HOST must be an http(s) origin such as https://login.microsoftonline.com' })
  GRAPH_AUTHORITY_HOST: string = MICROSOFT_AUTHORITY;

  /**
   * The MSP's multi-tenant app registration. Required for real Graph (https); against the emulator
   * (plain http) an empty or missing value means the emulator's demo app (DEMO_GRAPH_APP).
   */
  @ValidateIf((config: GraphWorkerConfig) => !usesGraphEmulator(config.GRAPH_BASE_URL) || Boolean(config.GRAPH_CLIENT_ID))
  @IsString()
  @Length(1, 200)
  GRAPH_CLIENT_ID?: string;

  /** Never logged, stored or echoed (config errors name the variable, not its value). Same rule as the id. */
  @ValidateIf((config: GraphWorkerConfig) => !usesGraphEmulator(config.GRAPH_BASE_URL) || Boolean(config.GRAPH_CLIENT_SECRET))
  @IsString()
  @Length(1, 500)
  GRAPH_CLIENT_SECRET?: string;

  /**
   * Key-encryption keys for secret values captured from Graph (encrypted OMA-URI values):
   * `keyId:base64,keyId:base64`, each key 32 random bytes (`openssl rand -base64 32`). Every listed key
   * opens what it wrapped; new values use SECRET_ENCRYPTION_ACTIVE_KEY (rotation: README). Required for
   * real Graph, like the app registration; against the emulator (plain http) an empty or missing value
   * means the local development key (DEVELOPMENT_SECRET_KEYS). Never logged or echoed.
   */
  @ValidateIf((config: GraphWorkerConfig) => !usesGraphEmulator(config.GRAPH_BASE_URL) || Boolean(config.SECRET_ENCRYPTION_KEYS))
  @IsSecretKeyList()
  SECRET_ENCRYPTION_KEYS?: string;

  /** The key id new secret values are wrapped with; one of SECRET_ENCRYPTION_KEYS. */
  @ValidateIf((config: GraphWorkerConfig) => !usesGraphEmulator(config.GRAPH_BASE_URL) || Boolean(config.SECRET_ENCRYPTION_KEYS) || Boolean(config.SECRET_ENCRYPTION_ACTIVE_KEY))
  @IsConfiguredSecretKeyId('SECRET_ENCRYPTION_KEYS')
  SECRET_ENCRYPTION_ACTIVE_KEY?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(300_000)
  GRAPH_REQUEST_TIMEOUT_MS = 30_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  GRAPH_MAX_ATTEMPTS = 5;

  /** How long an open tenant breaker waits before a trial request (work for that tenant is postponed). */
  @Type(() => Number)
  @IsInt()
  @Min(500)
  @Max(600_000)
  GRAPH_BREAKER_RESET_MS = 30_000;

  /**
   * The fewest requests in a tenant's rolling window (30 s) before its breaker may open (at half of them failing).
   * A `$batch` attempt is one request, so a run whose reads all fail makes ~3 per attempt round.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  GRAPH_BREAKER_VOLUME_THRESHOLD = DEFAULT_BREAKER.volumeThreshold;

  /** The per-tenant read budget the pacer aims at (Intune: 1,000 requests per 20 s). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  GRAPH_REQUESTS_PER_WINDOW = INTUNE_PACING.requestsPerWindow;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  GRAPH_WRITES_PER_WINDOW = INTUNE_PACING.writesPerWindow;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  GRAPH_WINDOW_SECONDS = INTUNE_PACING.windowSeconds;

  /**
   * Throttling (429/503) without Retry-After: the n-th wait is uniform in [0, min(MAX, BASE·2^(n-1))]
   * (full jitter) and pauses the whole tenant. Retry-After, when Graph sends it, is always honoured.
   */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(60_000)
  GRAPH_THROTTLE_BASE_DELAY_MS = DEFAULT_THROTTLE_BACKOFF.baseDelayMs;

  /** Ceiling of one throttle wait: one Intune window (20 s) by default; lower only against the emulator. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(600_000)
  GRAPH_THROTTLE_MAX_DELAY_MS = DEFAULT_THROTTLE_BACKOFF.maxDelayMs;

  /**
   * The bound: how long a read keeps retrying throttled answers from its first one (2 min); then the
   * work is postponed (TenantThrottledError → PostponeRun), never failed.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  GRAPH_THROTTLE_READ_BUDGET_MS = DEFAULT_THROTTLE_BACKOFF.readBudgetMs;

  /** The same bound for writes and `$batch` calls holding one (5 min), so a restore's writes get through. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  GRAPH_THROTTLE_WRITE_BUDGET_MS = DEFAULT_THROTTLE_BACKOFF.writeBudgetMs;
}

/** Real Microsoft Graph is only ever https: a plain-http Graph is the emulator (development, tests, compose). */
export function usesGraphEmulator(graphBaseUrl: string | undefined): boolean {
  return typeof graphBaseUrl === 'string' && graphBaseUrl.startsWith('http://');
}

/** True for a plain-http or loopback authority (the emulator): MSAL must be redirected to it. */
export function needsRedirectedAuthority(authorityHost: string): boolean {
  const url = new URL(authorityHost);
  return url.protocol === 'http:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** The process's one GraphClientFactory (per-tenant token caches, pacers and breakers live in it). */
export function createGraphClientFactoryFromConfig(config: GraphWorkerConfig): GraphClientFactory {
  const redirected = needsRedirectedAuthority(config.GRAPH_AUTHORITY_HOST);
  return new GraphClientFactory({
    credentials: graphCredentials(config),
    graphBaseUrl: config.GRAPH_BASE_URL,
    authorityHost: redirected ? MICROSOFT_AUTHORITY : config.GRAPH_AUTHORITY_HOST,
    networkClient: redirected ? createRedirectingNetworkClient(config.GRAPH_AUTHORITY_HOST, MICROSOFT_AUTHORITY) : undefined,
    requestTimeoutMs: config.GRAPH_REQUEST_TIMEOUT_MS,
    maxAttempts: config.GRAPH_MAX_ATTEMPTS,
    throttle: {
      baseDelayMs: config.GRAPH_THROTTLE_BASE_DELAY_MS,
      maxDelayMs: config.GRAPH_THROTTLE_MAX_DELAY_MS,
      readBudgetMs: config.GRAPH_THROTTLE_READ_BUDGET_MS,
      writeBudgetMs: config.GRAPH_THROTTLE_WRITE_BUDGET_MS,
    },
    breaker: { resetTimeoutMs: config.GRAPH_BREAKER_RESET_MS, volumeThreshold: config.GRAPH_BREAKER_VOLUME_THRESHOLD },
    pacing: {
      ...INTUNE_PACING,
      requestsPerWindow: config.GRAPH_REQUESTS_PER_WINDOW,
      writesPerWindow: config.GRAPH_WRITES_PER_WINDOW,
      windowSeconds: config.GRAPH_WINDOW_SECONDS,
    },
  });
}

/** The configured app registration; the emulator's demo app when running against the emulator without one. */
export function graphCredentials(config: GraphWorkerConfig): { clientId: string; clientSecret: string } {
  if (config.GRAPH_CLIENT_ID && config.GRAPH_CLIENT_SECRET) return { clientId: config.GRAPH_CLIENT_ID, clientSecret: config.GRAPH_CLIENT_SECRET };
  if (usesGraphEmulator(config.GRAPH_BASE_URL)) return { clientId: DEMO_GRAPH_APP.clientId, clientSecret: DEMO_GRAPH_APP.clientSecret };
  throw new Error('GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET are required for Microsoft Graph');
}

/** The process's secret cipher: the configured keys; the development key against the emulator without any. */
export function createSecretCipherFromConfig(config: GraphWorkerConfig): SecretCipher {
  if (config.SECRET_ENCRYPTION_KEYS && config.SECRET_ENCRYPTION_ACTIVE_KEY) return SecretCipher.fromConfiguration(config.SECRET_ENCRYPTION_KEYS, config.SECRET_ENCRYPTION_ACTIVE_KEY);
  if (usesGraphEmulator(config.GRAPH_BASE_URL)) return SecretCipher.development();
  throw new Error('SECRET_ENCRYPTION_KEYS and SECRET_ENCRYPTION_ACTIVE_KEY are required for Microsoft Graph');
}

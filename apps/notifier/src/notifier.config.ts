import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsInt, IsOptional, IsString, IsUrl, Max, Min, ValidateIf } from 'class-validator';
import { DatabaseConfig, IsConfiguredSecretKeyId, IsSecretKeyList, SecretCipher } from '@policyvault/platform';

const rawBoolean =
  (name: string, fallback: boolean) =>
  ({ obj }: { obj: unknown }): unknown => {
    const raw = (obj as Record<string, unknown>)[name];
    if (raw === undefined || raw === '') return fallback;
    return raw === 'true' ? true : raw === 'false' ? false : raw;
  };

export class NotifierConfig extends DatabaseConfig {
  override PORT = 3004;

  /** The admin UI's address: every notification links to `<UI_BASE_URL>/tenants/<tenant>/runs/<run>`. */
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'UI_BASE_URL must be an http(s) URL such as https://policyvault.example.com' },
  )
  UI_BASE_URL = 'http://localhost:3000';

  /** Run status events handled at once by this replica (a burst of transitions is written in batches this large; see bench/notifications). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(256)
  RUN_STATUS_CONCURRENCY = 64;

  /** How long a lookup of a tenant's owners at the gateway (DirectoryRpc) may take before the event is retried. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  DIRECTORY_TIMEOUT_MS = 5000;

  /**
   * Development only: lets endpoints use http and point at loopback, link-local and private addresses
   * (local receivers). Off (the production rule): https only, and every resolved address must be public.
   */
  @Transform(rawBoolean('NOTIFICATION_ALLOW_PRIVATE_TARGETS', false))
  @IsBoolean()
  NOTIFICATION_ALLOW_PRIVATE_TARGETS = false;

  /**
   * Keys that seal webhook signing secrets (SecretCipher, the same configuration as the workers'). Without
   * them webhook endpoints are refused (400), unless private targets are allowed (development key).
   */
  @ValidateIf((config: NotifierConfig) => Boolean(config.SECRET_ENCRYPTION_KEYS))
  @IsSecretKeyList()
  SECRET_ENCRYPTION_KEYS?: string;

  /** Required with SECRET_ENCRYPTION_KEYS; alone (the shared ConfigMap without the Secret) it is ignored. */
  @ValidateIf((config: NotifierConfig) => Boolean(config.SECRET_ENCRYPTION_KEYS))
  @IsConfiguredSecretKeyId('SECRET_ENCRYPTION_KEYS')
  SECRET_ENCRYPTION_ACTIVE_KEY?: string;

  /** SMTP server for email endpoints (none: email endpoints are refused). */
  @IsOptional()
  @IsString()
  SMTP_HOST?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65_535)
  SMTP_PORT = 587;

  /** `true`: TLS from the start (port 465); `false`: STARTTLS when the server offers it (required unless private targets are allowed). */
  @Transform(rawBoolean('SMTP_SECURE', false))
  @IsBoolean()
  SMTP_SECURE = false;

  @IsOptional()
  @IsString()
  SMTP_USER?: string;

  /** From a Kubernetes Secret; redacted from logs. */
  @IsOptional()
  @IsString()
  SMTP_PASSWORD?: string;

  @IsEmail()
  SMTP_FROM = 'policyvault@localhost.localdomain';

  /** Attempts of one delivery before it is dead-lettered. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  DELIVERY_MAX_ATTEMPTS = 8;

  /** Backoff between attempts (full jitter, libs/platform retry/backoff.ts), unless the receiver's Retry-After says longer. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  DELIVERY_BACKOFF_BASE_MS = 2000;

  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(86_400_000)
  DELIVERY_BACKOFF_MAX_MS = 600_000;

  /** One attempt's time limit. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  DELIVERY_TIMEOUT_MS = 10_000;

  /** How often each replica looks for due deliveries and closed digests. */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(60_000)
  DELIVERY_POLL_MS = 1000;

  /** Dead-lettered deliveries in a row after which an endpoint is disabled (and its owners told). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  ENDPOINT_DISABLE_AFTER = 5;

  /** Messages one endpoint may receive per minute (per replica); beyond, deliveries wait. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  ENDPOINT_RATE_PER_MINUTE = 30;

  /** How long a digest collects events before its one message. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  DIGEST_WINDOW_MS = 3_600_000;
}

/**
 * The notifier's cipher for webhook signing secrets: the configured keys; the development key only where
 * private targets are allowed; none otherwise (webhook endpoints are then refused).
 */
export function notifierSecretCipher(config: NotifierConfig): SecretCipher | undefined {
  if (config.SECRET_ENCRYPTION_KEYS && config.SECRET_ENCRYPTION_ACTIVE_KEY) return SecretCipher.fromConfiguration(config.SECRET_ENCRYPTION_KEYS, config.SECRET_ENCRYPTION_ACTIVE_KEY);
  if (config.NOTIFICATION_ALLOW_PRIVATE_TARGETS) return SecretCipher.development();
  return undefined;
}

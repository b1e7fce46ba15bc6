import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateIf } from 'class-validator';
import { DEFAULT_NATS_NAMESPACE, NATS_NAMESPACE_PATTERN } from '@policyvault/contracts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Variables every service reads. Each service's config class extends this one. */
export class CommonConfig {
  @IsOptional()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  /** One server, or a cluster's servers comma-separated (`nats://a:4222,nats://b:4222`): any that is up is used. */
  @IsString()
  @Matches(/^nats:\/\/[^\s,]+(,nats:\/\/[^\s,]+)*$/, { message: 'NATS_URL must look like nats://host:port (several comma-separated for a cluster)' })
  NATS_URL: string = 'nats://127.0.0.1:4222';

  /** Copies of every JetStream stream (1 on a single server; 3 or 5 in a cluster). */
  @Type(() => Number)
  @IsInt()
  @IsIn([1, 3, 5], { message: 'NATS_STREAM_REPLICAS must be 1, 3 or 5' })
  NATS_STREAM_REPLICAS: number = 1;

  @IsString()
  @Matches(NATS_NAMESPACE_PATTERN, { message: `NATS_NAMESPACE must match ${NATS_NAMESPACE_PATTERN}` })
  NATS_NAMESPACE: string = DEFAULT_NATS_NAMESPACE;

  /**
   * The service's NATS user (deploy/nats/authorization.conf names one per service); unset: connect without
   * authentication. With it, NATS_PASSWORD is required, and replies come to the user's own inbox.
   */
  @Transform(({ value }) => (value === '' ? undefined : value))
  @ValidateIf((config: CommonConfig) => config.NATS_USER !== undefined || config.NATS_PASSWORD !== undefined)
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'NATS_USER is required with NATS_PASSWORD and is letters, digits, - and _' })
  NATS_USER?: string;

  /** Never logged (logger redaction, config errors name the variable only). */
  @Transform(({ value }) => (value === '' ? undefined : value))
  @ValidateIf((config: CommonConfig) => config.NATS_USER !== undefined || config.NATS_PASSWORD !== undefined)
  @IsString({ message: 'NATS_PASSWORD is required with NATS_USER' })
  @Length(1, 1024)
  NATS_PASSWORD?: string;

  /** `false`: no `/metrics` and no metric recorded (the start-path bench compares both). */
  // From the raw variable: implicit conversion would make the string 'false' true.
  @Transform(({ obj }) => {
    const raw = (obj as Record<string, unknown>).METRICS_ENABLED;
    return raw === '' || raw === 'true' ? true : raw === 'false' ? false : raw;
  })
  @IsBoolean()
  METRICS_ENABLED: boolean = true;

  /** HTTP port for health/readiness (and the API, for the gateway). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number;
}

export class DatabaseConfig extends CommonConfig {
  @IsString()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE: number = 10;
}

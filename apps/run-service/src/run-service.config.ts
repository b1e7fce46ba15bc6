import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { DatabaseConfig } from '@policyvault/platform';

export class RunServiceConfig extends DatabaseConfig {
  override PORT = 3001;

  /** Fallback sweep for outbox rows not relayed right after commit (crash, broker outage). */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(60_000)
  OUTBOX_POLL_INTERVAL_MS = 1000;

  /** Worker events handled at once by this replica. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(256)
  WORKER_EVENT_CONCURRENCY = 16;
}

import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { GraphWorkerConfig } from '@policyvault/graph';

export class CaptureWorkerConfig extends GraphWorkerConfig {
  override PORT = 3002;

  /** Many runs store snapshots at once (COMMAND_CONCURRENCY × reads in flight): a larger pool than the default. */
  override DATABASE_POOL_SIZE = 20;

  /**
   * Incremental capture (ARCHITECTURE.md): a backup reads a policy completely at least every N-th run that
   * captures it, even when its list entry is unchanged. 1 reads every policy completely in every run
   * (incremental capture off).
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  CAPTURE_FULL_READ_EVERY_RUNS = 7;

  /** …and when its last complete read is older than this many hours (0: every run reads completely). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(8760)
  CAPTURE_FULL_READ_MAX_AGE_HOURS = 168;
}

import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { GraphWorkerConfig } from '@policyvault/graph';

export class RestoreWorkerConfig extends GraphWorkerConfig {
  override PORT = 3003;

  /** Restore runs this replica works on at once (each paces its writes through the tenant's pacer). */
  override COMMAND_CONCURRENCY = 8;

  /**
   * Backup items of one run worked on at once. The tenant's pacer decides the real write rate; a few
   * items in flight keep it fed while reads and database writes of the next items overlap.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(32)
  RESTORE_ITEMS_IN_FLIGHT = 4;

  /** How long a request to the backup store (capture-worker) may take. */
  @Type(() => Number)
  @IsInt()
  @Min(500)
  @Max(120_000)
  BACKUP_STORE_TIMEOUT_MS = 15_000;
}

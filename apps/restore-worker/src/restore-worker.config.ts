import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { GraphWorkerConfig } from '@policyvault/graph';

export class RestoreWorkerConfig extends GraphWorkerConfig {
  override PORT = 3003;

  /** Restore runs this replica works on at once (each paces its writes through the tenant's pacer). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(256)
  COMMAND_CONCURRENCY = 8;

  /** How long JetStream waits for a heartbeat or an ack before giving the command to another replica. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  COMMAND_ACK_WAIT_MS = 60_000;

  /** Deliveries of one command before it is given up (recorded, its run failed). */
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(1000)
  COMMAND_MAX_DELIVER = 50;

  /** On SIGTERM: how long running commands may finish before they are handed back to another replica. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_GRACE_MS = 10_000;

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

  /** Names this replica in run summaries and logs (default: host name and process id). */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  WORKER_ID?: string;
}

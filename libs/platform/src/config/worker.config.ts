import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { DatabaseConfig } from './common.config.js';

/** Variables of a worker that consumes run commands (the command consumer's settings). */
export class WorkerConfig extends DatabaseConfig {
  /** Commands (runs) this replica works on at once. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(256)
  COMMAND_CONCURRENCY = 16;

  /**
   * How long JetStream waits for a heartbeat or an ack before giving the command to another replica:
   * what a killed replica's commands wait before they are redelivered. A held command is heartbeated
   * every quarter of it (waiting for a slot and running), so it only has to outlast a stalled event loop.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  COMMAND_ACK_WAIT_MS = 15_000;

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

  /** Names this replica in run summaries and logs (default: host name and process id). */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  WORKER_ID?: string;

  /**
   * How long a run handed back to JetStream waits before its next delivery (milliseconds, comma
   * separated), by delivery: the first redelivery waits the first delay, later ones the next, the last
   * repeats. A postponed run already went through the Graph client's own retries (GRAPH_MAX_ATTEMPTS,
   * honouring Retry-After), so its tenant is struggling: the delays grow past Intune's 20 s throttling
   * window and stop at a minute, so a tenant that recovers is served again within a minute, and
   * COMMAND_MAX_DELIVER (50) gives a failing tenant about three quarters of an hour before the run fails.
   */
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((part) => (part.trim() === '' ? Number.NaN : Number(part))) : value))
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(600_000, { each: true })
  RETRY_DELAYS_MS: number[] = [1000, 5000, 15_000, 30_000, 60_000];
}

import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { DatabaseConfig } from './common.config.js';

/** Variables of a worker that consumes run commands (the command consumer's settings). */
export class WorkerConfig extends DatabaseConfig {
  /** Commands (runs) this replica works on at once. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(256)
  COMMAND_CONCURRENCY = 16;

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

  /** Names this replica in run summaries and logs (default: host name and process id). */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  WORKER_ID?: string;
}

import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { DatabaseConfig } from '@policyvault/platform';

export class RunServiceConfig extends DatabaseConfig {
  override PORT = 3001;

  /** Fallback sweep for outbox rows not relayed right after commit (crash, broker outage). */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(60_000)
  OUTBOX_POLL_INTERVAL_MS = 1000;

  /**
   * Worker events held at once by this replica. Item events of one run wait for the batch of that run being
   * applied and form the next one (worker-events/group-commit.ts), so this is what lets batches form; the
   * transactions are bounded by WORKER_EVENT_TRANSACTIONS, not by this.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1024)
  WORKER_EVENT_CONCURRENCY = 256;

  /**
   * Worker-event transactions at once in this replica: batches of item events (the others wait, growing) and the
   * run-started and run-finished events.
   * Below the pool's size (DATABASE_POOL_SIZE, default 10), so that the outbox relay and the RPC answers find a
   * connection.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(256)
  WORKER_EVENT_TRANSACTIONS = 6;

  /** At most this many item events of one run are applied in one transaction. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  WORKER_EVENT_BATCH_MAX = 200;

  /**
   * How long JetStream waits for a heartbeat or an ack of a worker event before giving it to another
   * replica (a killed replica's events wait this long). A run-finished event waits for its missing item
   * events a few times this long (worker-events/finish-wait.ts) before the run ends without them.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(300_000)
  WORKER_EVENT_ACK_WAIT_MS = 30_000;

  /** `system`: the dispatcher ticks on the wall clock. `manual`: it waits for BackupScheduleRpc.dispatch (tests). */
  @IsIn(['system', 'manual'])
  SCHEDULER_CLOCK: 'system' | 'manual' = 'system';

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  SCHEDULER_INTERVAL_MS = 60_000;

  /** How late a slot may still be dispatched; older slots were missed and are not replayed. */
  @Type(() => Number)
  @IsInt()
  @Min(60_000)
  @Max(3_600_000)
  SCHEDULER_GRACE_MS = 300_000;

  /**
   * A schedule is announced as failing (`ScheduleAlertEvent` kind `failing`) when its latest this-many
   * ended slot runs all failed; once per streak (at exactly this count).
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  SCHEDULE_FAILING_ALERT_AFTER = 3;

  /** How old a preview may be and still confirm a live restore. */
  @Type(() => Number)
  @IsInt()
  @Min(60_000)
  @Max(7 * 24 * 3_600_000)
  RESTORE_PREVIEW_MAX_AGE_MS = 3_600_000;

  /**
   * How long a removed tenant's data is kept after its removal (`disabledAt`) before the scheduler's
   * tick purges it from every service (README: retention). Default 30 days; at least a second (tests).
   */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(3650 * 24 * 3_600_000)
  REMOVED_TENANT_RETENTION_MS = 30 * 24 * 3_600_000;
}

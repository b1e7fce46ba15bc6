import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { GraphWorkerConfig } from '@policyvault/graph';

export class CaptureWorkerConfig extends GraphWorkerConfig {
  override PORT = 3002;

  /**
   * Few connections for many runs: a capture's statements take milliseconds between reads that wait for Graph, so
   * COMMAND_CONCURRENCY runs (each with its reads in flight) queue briefly for 4 connections. More connections made
   * Postgres slower, not faster: each backend faults in the shared buffers and caches it touches and competes for
   * the cores (fleet scale, 4 replicas: Postgres 20–24 CPU-s with 20 per replica, 13.5–14 with 4; BENCHMARKS.md,
   * issue 17, nineteenth session). Size it with the replicas: their pools together are what Postgres serves at once.
   */
  override DATABASE_POOL_SIZE = 4;

  /** Imports (backup_set.import): the archive's size (keep ≥ the gateway's IMPORT_UPLOAD_LIMIT_BYTES). */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  IMPORT_MAX_ARCHIVE_BYTES: number = 256 * 1024 * 1024;

  /** Imports: entries (files and folders) of one archive. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  IMPORT_MAX_ENTRIES: number = 20_000;

  /** Imports: the archive's declared uncompressed size, all entries together. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  IMPORT_MAX_UNCOMPRESSED_BYTES: number = 1024 * 1024 * 1024;

  /** Imports: one file's size (a larger JSON/YAML file fails its item unread). */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(256 * 1024 * 1024)
  IMPORT_MAX_FILE_BYTES: number = 16 * 1024 * 1024;

  /** Imports: uncompressed / compressed size of an entry over 1 MiB and of the whole archive (zip bombs). */
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(10_000)
  IMPORT_MAX_COMPRESSION_RATIO: number = 200;

  /** Imports: folders above a file. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  IMPORT_MAX_DEPTH: number = 16;

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

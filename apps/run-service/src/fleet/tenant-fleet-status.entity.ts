import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Per tenant, the latest run of each kind the fleet overview shows (FLEET_RUN_KINDS): written only by
 * `recordFleetOutcome` in the transaction that ends a run (newer wins), and by the backfill
 * (`refreshFleetStatus`). Active runs are not kept here (counted from runs_tenant_active).
 * Mirrors migration 1769100000000.
 */
@Entity({ name: 'tenant_fleet_status' })
export class TenantFleetStatusEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' })
  tenantId: string;

  /** The latest ended access check whose summary has a health. */
  @Column('uuid', { name: 'access_run_id', nullable: true })
  accessRunId: string | null;

  @Column('timestamptz', { name: 'access_at', nullable: true })
  accessAt: Date | null;

  @Column('jsonb', { name: 'access_summary', nullable: true })
  accessSummary: Record<string, unknown> | null;

  /** The latest succeeded backup (a backup set or a schedule run). */
  @Column('uuid', { name: 'backup_run_id', nullable: true })
  backupRunId: string | null;

  @Column('text', { name: 'backup_type', nullable: true })
  backupType: string | null;

  @Column('timestamptz', { name: 'backup_at', nullable: true })
  backupAt: Date | null;

  @Column('text', { name: 'backup_set_id', nullable: true })
  backupSetId: string | null;

  @Column('integer', { name: 'backup_items', nullable: true })
  backupItems: number | null;

  /** The latest failed run of any type. */
  @Column('uuid', { name: 'failed_run_id', nullable: true })
  failedRunId: string | null;

  @Column('text', { name: 'failed_type', nullable: true })
  failedType: string | null;

  @Column('timestamptz', { name: 'failed_at', nullable: true })
  failedAt: Date | null;

  @Column('text', { name: 'failed_code', nullable: true })
  failedCode: string | null;

  /** The latest succeeded drift check. */
  @Column('uuid', { name: 'drift_run_id', nullable: true })
  driftRunId: string | null;

  @Column('timestamptz', { name: 'drift_at', nullable: true })
  driftAt: Date | null;

  @Column('jsonb', { name: 'drift_summary', nullable: true })
  driftSummary: Record<string, unknown> | null;
}

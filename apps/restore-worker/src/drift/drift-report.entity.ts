import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { DriftStatus } from '@policyvault/contracts';

/** One drift report per drift.check run: its baseline, its counts once finished. */
@Entity({ name: 'drift_reports' })
@Index('drift_reports_run', ['runId'], { unique: true })
// The listing's keyset order; the migration makes it (tenant_id, created_at DESC, id DESC).
@Index('drift_reports_tenant_listing', ['tenantId', 'createdAt', 'id'])
@Check('drift_reports_drift_status_check', `drift_status IN ('none','drifted')`)
export class DriftReportEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'run_id' })
  runId: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'baseline_backup_set_id' })
  baselineBackupSetId: string;

  @Column('integer', { default: 0 })
  added: number;

  @Column('integer', { default: 0 })
  removed: number;

  @Column('integer', { default: 0 })
  changed: number;

  @Column('integer', { default: 0 })
  unchanged: number;

  /** Null until the run has compared everything. */
  @Column('text', { name: 'drift_status', nullable: true })
  driftStatus: DriftStatus | null;

  /** Microseconds matter: the listing's cursor carries this value exactly. */
  @Column('timestamptz', { name: 'created_at', default: () => 'clock_timestamp()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt: Date | null;
}

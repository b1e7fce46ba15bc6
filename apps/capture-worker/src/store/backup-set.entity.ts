import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import type { BackupSetStatus } from '@policyvault/contracts';

/** A named collection of backup items; the run that created it identifies it (one set per run). */
@Entity({ name: 'backup_sets' })
// A redelivered create command finds the set its first delivery made.
@Unique('backup_sets_created_by_run', ['createdByRunId'])
@Check('backup_sets_status_check', "status IN ('capturing','complete','partial','failed')")
// The migration orders created_at and id descending: newest first.
@Index('backup_sets_listing', ['tenantId', 'createdAt', 'id'])
@Index('backup_sets_schedule', ['scheduleId', 'createdAt'], { where: 'schedule_id IS NOT NULL' })
export class BackupSetEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('text')
  name: string;

  @Column('text')
  status: BackupSetStatus;

  @Column('boolean', { name: 'include_foundations' })
  includeFoundations: boolean;

  @Column('uuid', { name: 'created_by_run_id' })
  createdByRunId: string;

  /** The schedule that made the set (its retention may remove it); null for sets made by hand. */
  @Column('uuid', { name: 'schedule_id', nullable: true })
  scheduleId: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt: Date | null;
}

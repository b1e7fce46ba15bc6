import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BackupSetStatus } from '@policyvault/contracts';

/** A named collection of backup items; the run that created it identifies it (one set per run). */
@Entity({ name: 'backup_sets' })
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

  @Column('uuid', { name: 'schedule_id', nullable: true })
  scheduleId: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt: Date | null;
}

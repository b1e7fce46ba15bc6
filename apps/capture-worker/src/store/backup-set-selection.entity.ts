import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import type { SafeError } from '@policyvault/contracts';
import { BackupSetEntity } from './backup-set.entity.js';

/** A part of a selection that could not be listed (its type is unknown, or its listing was refused). */
export interface RecordedSelectionProblem {
  status: 'failed' | 'skipped';
  outcome: string;
  label: string;
  error: SafeError;
}

/**
 * What one run selected for its backup set, fixed by its first delivery: one row per part (`ids`, the
 * policies chosen by id; `type:<policyType>`, one listing of a type). A redelivery captures exactly
 * these policies and lists nothing again, so a set never mixes two listings of the tenant.
 */
@Entity({ name: 'backup_set_selections' })
@Index('backup_set_selections_set', ['backupSetId'])
export class BackupSetSelectionEntity {
  @PrimaryColumn('uuid', { name: 'run_id' })
  runId: string;

  @PrimaryColumn('text')
  part: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'backup_set_id' })
  @ForeignKey(() => BackupSetEntity, { name: 'backup_set_selections_backup_set_id_fkey', onDelete: 'CASCADE' })
  backupSetId: string;

  /** The inventory ids of the part's policies, in listing order. */
  @Column('uuid', { name: 'policy_ids', array: true })
  policyIds: string[];

  @Column('jsonb', { nullable: true })
  problem: RecordedSelectionProblem | null;

  @Column('timestamptz', { name: 'selected_at', default: () => 'clock_timestamp()' })
  selectedAt: Date;
}

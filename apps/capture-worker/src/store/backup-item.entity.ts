import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One policy in a backup set, pointing at the version captured for it (each policy once per set). */
@Entity({ name: 'backup_items' })
export class BackupItemEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'backup_set_id' })
  backupSetId: string;

  @Column('uuid', { name: 'policy_id' })
  policyId: string;

  @Column('uuid', { name: 'policy_version_id' })
  policyVersionId: string;

  @Column('boolean', { name: 'is_foundation' })
  isFoundation: boolean;

  @Column('uuid', { name: 'added_by_run_id' })
  addedByRunId: string;

  @Column('timestamptz', { name: 'added_at' })
  addedAt: Date;
}

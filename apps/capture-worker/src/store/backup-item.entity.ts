import { Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import type { CapturedReferences } from '@policyvault/contracts';
import { BackupSetEntity } from './backup-set.entity.js';
import { PolicyVersionEntity } from './policy-version.entity.js';

/** One policy in a backup set, pointing at the version captured for it (each policy once per set). */
@Entity({ name: 'backup_items' })
@Unique('backup_items_policy_once', ['backupSetId', 'policyId'])
// Retention asks whether an item still points at a version.
@Index('backup_items_version', ['policyVersionId'])
// A version of the item's policy (which also says that the policy exists).
@ForeignKey(() => PolicyVersionEntity, ['policyId', 'policyVersionId'], ['policyId', 'id'], { name: 'backup_items_policy_version' })
export class BackupItemEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'backup_set_id' })
  @ForeignKey(() => BackupSetEntity, { name: 'backup_items_backup_set_id_fkey', onDelete: 'CASCADE' })
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

  /**
   * Display names of the groups, scope tags, filters and notification templates the version references,
   * read when the item was added (not part of the version: names change without the policy changing).
   */
  @Column('jsonb', { name: 'reference_names', default: () => "'{}'" })
  referenceNames: CapturedReferences;
}

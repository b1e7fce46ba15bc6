import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One restore preview per run: what it compared (backup set, source tenant) and when it was finished. */
@Entity({ name: 'previews' })
export class PreviewEntity {
  @PrimaryColumn('uuid', { name: 'run_id' })
  runId: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'backup_set_id' })
  backupSetId: string;

  @Column('uuid', { name: 'source_tenant_id' })
  sourceTenantId: string;

  @Column('boolean', { name: 'include_assignments' })
  includeAssignments: boolean;

  @Column('timestamptz', { name: 'started_at' })
  startedAt: Date;

  /** Null until every item is stored; the API then shows `started_at` instead. */
  @Column('timestamptz', { name: 'computed_at', nullable: true })
  computedAt: Date | null;
}

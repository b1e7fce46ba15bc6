import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import type { RestoreAction, SafeError } from '@policyvault/contracts';

type ExecutedItemStatus = 'writing' | 'succeeded' | 'failed' | 'skipped';

/** One restored item of a live restore: the anchor that keeps a redelivered restore from writing twice. */
@Entity({ name: 'executed_items' })
@Check('executed_items_status_check', `status IN ('writing','succeeded','failed','skipped')`)
export class ExecutedItemEntity {
  @PrimaryColumn('uuid', { name: 'run_id' })
  runId: string;

  @PrimaryColumn('uuid', { name: 'backup_item_id' })
  backupItemId: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  /** `writing` is recorded before the first write to Graph; the final status after the last one. */
  @Column('text')
  status: ExecutedItemStatus;

  @Column('text')
  action: RestoreAction;

  @Column('text', { nullable: true })
  outcome: string | null;

  @Column('text', { nullable: true })
  label: string | null;

  @Column('jsonb', { nullable: true })
  result: Record<string, unknown> | null;

  @Column('jsonb', { nullable: true })
  error: SafeError | null;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}

import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import type { FieldDifference, PlannedRequestView, RestoreAction, RestoreAmbiguity, RestorePreviewItemView, SafeError, UnmappedReferenceView } from '@policyvault/contracts';
import { PreviewEntity } from './preview.entity.js';

/**
 * One backup item of a preview: the planned action, the exact request and the differences. The primary
 * key lets a redelivered preview report a stored item again instead of recomputing it.
 */
@Entity({ name: 'preview_items' })
@Index('preview_items_page', ['runId', 'position'])
@Check('preview_items_action_check', `action IN ('create','update','no_change','skipped','ambiguous')`)
@Check('preview_items_matched_by_check', `matched_by IN ('id','name')`)
export class PreviewItemEntity {
  @PrimaryColumn('uuid', { name: 'run_id' })
  @ForeignKey(() => PreviewEntity, { name: 'preview_items_run_id_fkey', onDelete: 'CASCADE' })
  runId: string;

  @PrimaryColumn('uuid', { name: 'backup_item_id' })
  backupItemId: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  /** Order of the backup set (the order items were computed in); the page cursor. */
  @Column('integer')
  position: number;

  @Column('text', { name: 'policy_type' })
  policyType: string;

  @Column('text', { name: 'display_name' })
  displayName: string;

  @Column('text')
  action: RestoreAction;

  @Column('text', { name: 'matched_by', nullable: true })
  matchedBy: 'id' | 'name' | null;

  @Column('text', { name: 'live_id', nullable: true })
  liveId: string | null;

  /** The first request carrying a body (the preview API's `request`). */
  @Column('jsonb', { nullable: true })
  request: RestorePreviewItemView['request'];

  /** Every request of the item's restore, in order (previews computed before this column show `[]`). */
  @Column('jsonb', { default: () => "'[]'" })
  requests: PlannedRequestView[];

  @Column('jsonb')
  differences: FieldDifference[];

  @Column('text', { nullable: true })
  reason: string | null;

  /** The safe error of an item whose live object could not be read (code and whitelisted context). */
  @Column('jsonb', { nullable: true })
  error: SafeError | null;

  /** Why an `ambiguous` item has no single live object, and the candidates. */
  @Column('jsonb', { nullable: true })
  ambiguity: RestoreAmbiguity | null;

  /** References the target tenant cannot resolve. */
  @Column('jsonb', { default: () => "'[]'" })
  unmapped: UnmappedReferenceView[];
}

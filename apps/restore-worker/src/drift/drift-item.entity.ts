import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import type { DriftItemStatus, FieldDifference } from '@policyvault/contracts';
import { DriftReportEntity } from './drift-report.entity.js';

/**
 * One policy of a drift report: a baseline item (`backup-item:<id>`) or a live object the baseline does
 * not hold (`live:<type>:<id>`). The key lets a redelivered check keep what the first delivery stored.
 */
@Entity({ name: 'drift_items' })
@Index('drift_items_page', ['reportId', 'position'])
@Check('drift_items_status_check', `status IN ('added','removed','changed','unchanged')`)
export class DriftItemEntity {
  @PrimaryColumn('uuid', { name: 'report_id' })
  @ForeignKey(() => DriftReportEntity, { name: 'drift_items_report_id_fkey', onDelete: 'CASCADE' })
  reportId: string;

  @PrimaryColumn('text', { name: 'item_key' })
  itemKey: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  /** Baseline order, then added objects (the page cursor). */
  @Column('integer')
  position: number;

  @Column('text', { name: 'policy_type' })
  policyType: string;

  @Column('text', { name: 'display_name' })
  displayName: string;

  @Column('text', { name: 'live_id', nullable: true })
  liveId: string | null;

  @Column('uuid', { name: 'backup_item_id', nullable: true })
  backupItemId: string | null;

  @Column('text')
  status: DriftItemStatus;

  /** Live against baseline, for `changed`; secret values only as markers. */
  @Column('jsonb', { default: () => "'[]'" })
  differences: FieldDifference[];
}

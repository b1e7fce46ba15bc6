import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { DayOfWeek, ScheduleAction, ScheduleFrequency } from '@policyvault/contracts';

@Entity({ name: 'backup_schedules' })
@Check('backup_schedules_frequency_check', `frequency IN ('daily', 'weekly')`)
@Check('backup_schedules_keep_last_check', 'keep_last >= 1')
@Check('backup_schedules_action_check', `action IN ('backup', 'drift_check', 'backup_then_drift_check')`)
@Index('backup_schedules_due', ['nextRunAt'], { where: 'enabled AND deleted_at IS NULL AND paused_at IS NULL' })
@Index('backup_schedules_tenant', ['tenantId', 'createdAt', 'id'])
export class BackupScheduleEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('text', { name: 'tenant_directory_id' })
  tenantDirectoryId: string;

  @Column('text')
  name: string;

  @Column('boolean')
  enabled: boolean;

  @Column('text')
  frequency: ScheduleFrequency;

  @Column('text', { name: 'days_of_week', array: true, default: () => "'{}'" })
  daysOfWeek: DayOfWeek[];

  @Column('text', { name: 'time_of_day' })
  timeOfDay: string;

  @Column('text', { name: 'time_zone' })
  timeZone: string;

  @Column('text', { name: 'policy_types', array: true, default: () => "'{}'" })
  policyTypes: string[];

  @Column('integer', { name: 'keep_last' })
  keepLast: number;

  @Column('boolean', { name: 'include_foundations', default: false })
  includeFoundations: boolean;

  /** What each slot runs (a backup, a drift check, or both in turn). */
  @Column('text', { default: 'backup' })
  action: ScheduleAction;

  @Column('timestamptz', { name: 'next_run_at', nullable: true })
  nextRunAt: Date | null;

  @Column('uuid', { name: 'created_by_user_id' })
  createdByUserId: string;

  @Column('text', { name: 'created_by_email' })
  createdByEmail: string;

  @Column('timestamptz', { name: 'created_at', default: () => 'clock_timestamp()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'clock_timestamp()' })
  updatedAt: Date;

  @Column('timestamptz', { name: 'deleted_at', nullable: true })
  deletedAt: Date | null;

  /** Set when the gateway disabled the tenant: the dispatcher starts no run of a paused schedule. */
  @Column('timestamptz', { name: 'paused_at', nullable: true })
  pausedAt: Date | null;
}

import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { BackupScheduleEntity } from '../schedules/backup-schedule.entity.js';
import { RunEntity } from '../runs/run.entity.js';

/**
 * What a start or schedule creation sent with an Idempotency-Key did, under the gateway's anchor
 * (the id of its claim on the key): the run it started or reused, or the schedule it made. Mirrors
 * migration 1769400000000.
 */
@Entity({ name: 'idempotency_anchors' })
@Check('idempotency_anchors_one_target_check', 'num_nonnulls(run_id, schedule_id) = 1')
@Index('idempotency_anchors_run', ['runId'], { where: 'run_id IS NOT NULL' })
@Index('idempotency_anchors_schedule', ['scheduleId'], { where: 'schedule_id IS NOT NULL' })
export class IdempotencyAnchorEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' })
  tenantId: string;

  @PrimaryColumn('uuid')
  anchor: string;

  @Column('uuid', { name: 'run_id', nullable: true })
  @ForeignKey(() => RunEntity, 'id', { name: 'idempotency_anchors_run_id_fkey', onDelete: 'CASCADE' })
  runId: string | null;

  /** The start found an active run doing the same work and answered it (reused: true). */
  @Column('boolean', { default: false })
  reused: boolean;

  @Column('uuid', { name: 'schedule_id', nullable: true })
  @ForeignKey(() => BackupScheduleEntity, 'id', { name: 'idempotency_anchors_schedule_id_fkey', onDelete: 'CASCADE' })
  scheduleId: string | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'clock_timestamp()' })
  createdAt: Date;
}

import { Check, Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { RunEntity } from '../runs/run.entity.js';
import { BackupScheduleEntity } from './backup-schedule.entity.js';

/** One row per (schedule, slot): the key that lets several dispatchers race safely. */
@Entity({ name: 'schedule_slots' })
@Check('schedule_slots_status_check', `status IN ('dispatched', 'skipped')`)
export class ScheduleSlotEntity {
  @PrimaryColumn('uuid', { name: 'schedule_id' })
  @ForeignKey(() => BackupScheduleEntity, 'id', { name: 'schedule_slots_schedule_id_fkey' })
  scheduleId: string;

  @PrimaryColumn('timestamptz', { name: 'slot_at' })
  slotAt: Date;

  @Column('text')
  status: 'dispatched' | 'skipped';

  @Column('text', { nullable: true })
  reason: string | null;

  @Column('uuid', { name: 'run_id', nullable: true })
  @ForeignKey(() => RunEntity, 'id', { name: 'schedule_slots_run_id_fkey' })
  runId: string | null;

  @Column('timestamptz', { name: 'dispatched_at', default: () => 'clock_timestamp()' })
  dispatchedAt: Date;
}

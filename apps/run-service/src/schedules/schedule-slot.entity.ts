import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'schedule_slots' })
export class ScheduleSlotEntity {
  @PrimaryColumn('uuid', { name: 'schedule_id' })
  scheduleId: string;

  @PrimaryColumn('timestamptz', { name: 'slot_at' })
  slotAt: Date;

  @Column('text')
  status: 'dispatched' | 'skipped';

  @Column('text', { nullable: true })
  reason: string | null;

  @Column('uuid', { name: 'run_id', nullable: true })
  runId: string | null;

  @Column('timestamptz', { name: 'dispatched_at' })
  dispatchedAt: Date;
}

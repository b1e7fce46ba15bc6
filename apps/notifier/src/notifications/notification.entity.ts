import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RunStatus, RunType, SafeError } from '@policyvault/contracts';

/** A persisted message to one user about one transition of one run (unique per run and status). */
@Entity({ name: 'notifications' })
export class NotificationEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'run_id' })
  runId: string;

  @Column('text', { name: 'run_type' })
  runType: RunType;

  @Column('text')
  status: RunStatus;

  @Column('text')
  title: string;

  @Column('text')
  body: string;

  /** Code and message only, for failed and partial runs. */
  @Column('jsonb', { nullable: true })
  error: SafeError | null;

  @Column('text')
  link: string;

  /** The run status event it came from (`run:<id>:status:<status>`). */
  @Column('text', { name: 'event_id' })
  eventId: string;

  /** When run-service recorded the transition; `created_at − occurred_at` is the notification lag. */
  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt: Date;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'read_at', nullable: true })
  readAt: Date | null;
}

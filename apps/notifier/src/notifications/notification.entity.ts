import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { NotificationKind, RunStatus, RunType, SafeError } from '@policyvault/contracts';

/**
 * A persisted message to one user about one transition of one run (unique per run, status and user):
 * the initiator's, and for a drift check that found drift each owner's of the tenant. A notification with
 * a `kind` is about something else (an endpoint disabled: each owner's), unique per (event, user).
 */
@Entity({ name: 'notifications' })
// The idempotency anchor: one notification per (run, transition, recipient), however often the event arrives.
@Index('notifications_run_transition_user', ['runId', 'status', 'userId'], { unique: true })
// The listing's keyset order; the migration makes it (user_id, created_at DESC, id DESC), a direction
// TypeORM does not describe.
@Index('notifications_user_listing', ['userId', 'createdAt', 'id'])
@Index('notifications_user_unread', ['userId', 'tenantId'], { where: 'read_at IS NULL' })
// Not about a run: one per (event, recipient).
@Index('notifications_event_user', ['eventId', 'userId'], { unique: true, where: 'kind IS NOT NULL' })
@Check('notifications_kind_check', `kind IN ('endpoint.disabled')`)
@Check('notifications_run_columns_check', `kind IS NOT NULL OR (run_id IS NOT NULL AND run_type IS NOT NULL AND status IS NOT NULL)`)
@Check('notifications_status_check', `status IN ('queued','running','succeeded','partial','failed','canceled')`)
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  /** Null: a run transition (run columns set). */
  @Column('text', { nullable: true })
  kind: NotificationKind | null;

  @Column('uuid', { name: 'run_id', nullable: true })
  runId: string | null;

  @Column('text', { name: 'run_type', nullable: true })
  runType: RunType | null;

  @Column('text', { nullable: true })
  status: RunStatus | null;

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

  /** Microseconds matter: the listing's cursor carries this value exactly (see NotificationQueriesService). */
  @Column('timestamptz', { name: 'created_at', default: () => 'clock_timestamp()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'read_at', nullable: true })
  readAt: Date | null;
}

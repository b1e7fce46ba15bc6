import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Who did what to which tenant, and when: live restores, schedule dispatch, outcomes, retention. */
@Entity({ name: 'audit_events' })
export class AuditEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'actor_user_id', nullable: true })
  actorUserId: string | null;

  /** An email for people, `system:scheduler` for the dispatcher. */
  @Column('text')
  actor: string;

  @Column('text')
  action: string;

  @Column('uuid', { name: 'run_id', nullable: true })
  runId: string | null;

  @Column('uuid', { name: 'schedule_id', nullable: true })
  scheduleId: string | null;

  @Column('jsonb')
  details: Record<string, unknown>;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt: Date;
}

import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Who did what to which tenant, and when: live restores, schedule dispatch, outcomes, retention. */
@Entity({ name: 'audit_events' })
@Index('audit_events_tenant', ['tenantId', 'occurredAt', 'id'])
@Index('audit_events_run', ['runId'])
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

  /** No foreign key: the trail outlives a removed tenant's purged runs (migration 1769000000000). */
  @Column('uuid', { name: 'run_id', nullable: true })
  runId: string | null;

  @Column('uuid', { name: 'schedule_id', nullable: true })
  scheduleId: string | null;

  @Column('jsonb', { default: () => "'{}'" })
  details: Record<string, unknown>;

  @Column('timestamptz', { name: 'occurred_at', default: () => 'clock_timestamp()' })
  occurredAt: Date;
}

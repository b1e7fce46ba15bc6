import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { TraceCarrier } from '@policyvault/platform';

/** A message committed together with the state change that caused it, relayed to JetStream after. */
@Entity({ name: 'outbox' })
@Index('outbox_unsent', ['id'], { where: 'sent_at IS NULL' })
export class OutboxEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column('text')
  subject: string;

  /** Sent as Nats-Msg-Id, so a relay retry inside the stream's duplicate window is dropped. */
  @Column('text', { name: 'message_id', unique: true })
  messageId: string;

  @Column('jsonb')
  payload: Record<string, unknown>;

  /** The trace of the change that wrote the row (W3C `traceparent`), continued by the relay's publish; null untraced. */
  @Column('jsonb', { name: 'trace_context', nullable: true })
  traceContext: TraceCarrier | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'clock_timestamp()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'sent_at', nullable: true })
  sentAt: Date | null;

  @Column('integer', { default: 0 })
  attempts: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;
}

import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * A message a service could not process (malformed, or its deliveries exhausted), kept for operators
 * instead of being dropped. Every consuming service has this table in its own schema: the entity
 * carries no schema, so each service's data source maps it into its own (DDL: rejected-messages.migrations.ts).
 * One row per stream message (stream, sequence): a redelivery of a message already kept adds nothing.
 */
@Entity({ name: 'rejected_messages' })
@Unique('rejected_messages_stream_message', ['stream', 'streamSequence'])
export class RejectedMessageEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column('text')
  subject: string;

  /**
   * The payload's bytes, anything secret-looking redacted, at most 10,000 bytes (`scrubPayload`). Bytes, not
   * text: a payload may hold NUL or be no UTF-8 at all (`encode(payload, 'escape')` shows it in psql).
   */
  @Column('bytea')
  payload: Buffer;

  @Column('text')
  reason: string;

  @Column('integer', { name: 'delivery_count' })
  deliveryCount: number;

  /** The JetStream stream and sequence of the message; null for rows kept before they were recorded. */
  @Column('text', { nullable: true })
  stream: string | null;

  @Column('bigint', { name: 'stream_sequence', nullable: true })
  streamSequence: string | null;

  @Column('timestamptz', { name: 'received_at', default: () => 'clock_timestamp()' })
  receivedAt: Date;
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A message a service could not process (malformed, or its deliveries exhausted), kept for operators
 * instead of being dropped. Every consuming service has this table in its own schema: the entity
 * carries no schema, so each service's data source maps it into its own.
 */
@Entity({ name: 'rejected_messages' })
export class RejectedMessageEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column('text')
  subject: string;

  /** The payload with anything secret-looking redacted, at most 10,000 characters. */
  @Column('text')
  payload: string;

  @Column('text')
  reason: string;

  @Column('integer', { name: 'delivery_count' })
  deliveryCount: number;

  @Column('timestamptz', { name: 'received_at', default: () => 'clock_timestamp()' })
  receivedAt: Date;
}

/** The table's DDL, for each service's own migration. */
export function rejectedMessagesTableSql(schema: string): string {
  return `
    CREATE TABLE ${schema}.rejected_messages (
      id bigserial PRIMARY KEY,
      subject text NOT NULL,
      payload text NOT NULL,
      reason text NOT NULL,
      delivery_count integer NOT NULL,
      received_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )`;
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A worker event that could not be applied (malformed, or retries exhausted): kept for operators. */
@Entity({ name: 'rejected_messages' })
export class RejectedMessageEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column('text')
  subject: string;

  @Column('text')
  payload: string;

  @Column('text')
  reason: string;

  @Column('integer', { name: 'delivery_count' })
  deliveryCount: number;

  @Column('timestamptz', { name: 'received_at' })
  receivedAt: Date;
}

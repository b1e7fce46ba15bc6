import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A run status event that could not be turned into a notification (malformed, or retries exhausted). */
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

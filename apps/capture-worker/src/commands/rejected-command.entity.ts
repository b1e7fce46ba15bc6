import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A command given up on (malformed, or deliveries exhausted): kept for operators, never dropped silently. */
@Entity({ name: 'rejected_commands' })
export class RejectedCommandEntity {
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

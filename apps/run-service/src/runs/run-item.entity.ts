import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RunItemStatus, SafeError } from '@policyvault/contracts';

@Entity({ name: 'run_items' })
export class RunItemEntity {
  @PrimaryColumn('uuid', { name: 'run_id' })
  runId: string;

  @PrimaryColumn('text', { name: 'item_key' })
  itemKey: string;

  @Column('text')
  status: RunItemStatus;

  @Column('text', { nullable: true })
  label: string | null;

  @Column('text', { nullable: true })
  outcome: string | null;

  @Column('jsonb', { nullable: true })
  error: SafeError | null;

  @Column('jsonb', { nullable: true })
  result: Record<string, unknown> | null;

  @Column('timestamptz', { name: 'finished_at' })
  finishedAt: Date;
}

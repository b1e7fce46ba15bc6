import { Check, Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import type { RunItemStatus, SafeError } from '@policyvault/contracts';
import { RunEntity } from './run.entity.js';

/** One item of a run as its worker last reported it. */
@Entity({ name: 'run_items' })
@Check('run_items_status_check', `status IN ('succeeded','failed','skipped')`)
export class RunItemEntity {
  @PrimaryColumn('uuid', { name: 'run_id' })
  @ForeignKey(() => RunEntity, 'id', { name: 'run_items_run_id_fkey', onDelete: 'CASCADE' })
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

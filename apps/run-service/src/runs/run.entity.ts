import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RunStatus, RunType, SafeError } from '@policyvault/contracts';

@Entity({ name: 'runs' })
export class RunEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('text', { name: 'tenant_directory_id' })
  tenantDirectoryId: string;

  @Column('text')
  type: RunType;

  @Column('jsonb')
  target: Record<string, unknown>;

  @Column('jsonb')
  scope: Record<string, unknown>;

  @Column('text', { name: 'scope_hash' })
  scopeHash: string;

  @Column('text', { name: 'dedupe_key' })
  dedupeKey: string;

  @Column('text')
  status: RunStatus;

  /** Items the worker announced when it started (progress denominator). */
  @Column('integer', { name: 'planned_items', nullable: true })
  plannedItems: number | null;

  /** Items the worker reported in its run-finished event (the run ends once all are applied). */
  @Column('integer', { name: 'expected_items', nullable: true })
  expectedItems: number | null;

  @Column('integer', { name: 'total_items' })
  totalItems: number;

  @Column('integer', { name: 'succeeded_items' })
  succeededItems: number;

  @Column('integer', { name: 'failed_items' })
  failedItems: number;

  @Column('integer', { name: 'skipped_items' })
  skippedItems: number;

  @Column('uuid', { name: 'initiator_user_id' })
  initiatorUserId: string;

  @Column('text', { name: 'initiator_email' })
  initiatorEmail: string;

  @Column('jsonb', { nullable: true })
  summary: Record<string, unknown> | null;

  @Column('jsonb', { nullable: true })
  error: SafeError | null;

  @Column('boolean', { name: 'cancel_requested' })
  cancelRequested: boolean;

  @Column('timestamptz', { name: 'queued_at' })
  queuedAt: Date;

  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt: Date | null;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt: Date | null;
}

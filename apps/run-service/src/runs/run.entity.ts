import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { RunStatus, RunType, SafeError } from '@policyvault/contracts';

/** One run of one job for one tenant; its items are in run_items. Mirrors migration 1732300000000. */
@Entity({ name: 'runs' })
@Check('runs_status_check', `status IN ('queued','running','succeeded','partial','failed','canceled')`)
// The race-safety anchor of idempotent start: at most one active run per de-duplication key.
@Index('runs_active_dedupe_key', ['dedupeKey'], { unique: true, where: `status IN ('queued','running')` })
@Index('runs_tenant_listing', ['tenantId', 'queuedAt', 'id'])
// The fleet overview's per-tenant lookups (migration 1733000000000).
@Index('runs_tenant_type_finished', ['tenantId', 'type', 'finishedAt'], { where: 'finished_at IS NOT NULL' })
@Index('runs_tenant_failed', ['tenantId', 'finishedAt'], { where: `status = 'failed'` })
@Index('runs_tenant_active', ['tenantId'], { where: `status IN ('queued', 'running')` })
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

  @Column('integer', { name: 'total_items', default: 0 })
  totalItems: number;

  @Column('integer', { name: 'succeeded_items', default: 0 })
  succeededItems: number;

  @Column('integer', { name: 'failed_items', default: 0 })
  failedItems: number;

  @Column('integer', { name: 'skipped_items', default: 0 })
  skippedItems: number;

  @Column('uuid', { name: 'initiator_user_id' })
  initiatorUserId: string;

  @Column('text', { name: 'initiator_email' })
  initiatorEmail: string;

  @Column('jsonb', { nullable: true })
  summary: Record<string, unknown> | null;

  @Column('jsonb', { nullable: true })
  error: SafeError | null;

  @Column('boolean', { name: 'cancel_requested', default: false })
  cancelRequested: boolean;

  @Column('timestamptz', { name: 'queued_at', default: () => 'clock_timestamp()' })
  queuedAt: Date;

  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt: Date | null;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt: Date | null;

  /** When run-finished was first applied while item events it counts were missing (the start of its wait). */
  @Column('timestamptz', { name: 'finish_reported_at', nullable: true })
  finishReportedAt: Date | null;
}

import { Check, Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { TenantEntity } from '../tenants/tenant.entity.js';
import { FleetBatchEntity } from './fleet-batch.entity.js';

/** started: a new run; reused: the active run doing the same work; rejected: no run (reason_code says why). */
export const FLEET_BATCH_OUTCOMES = ['started', 'reused', 'rejected'] as const;
export type FleetBatchOutcome = (typeof FLEET_BATCH_OUTCOMES)[number];

/** What one fleet batch did in one tenant. */
@Entity({ name: 'fleet_batch_runs' })
@Check('fleet_batch_runs_outcome_check', `"outcome" IN ('started', 'reused', 'rejected')`)
@Check('fleet_batch_runs_run_check', `("outcome" = 'rejected') = ("run_id" IS NULL)`)
export class FleetBatchRunEntity {
  @PrimaryColumn({ name: 'batch_id', type: 'uuid' })
  @ForeignKey(() => FleetBatchEntity, { name: 'fleet_batch_runs_batch_id_fkey', onDelete: 'CASCADE' })
  batchId: string;

  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  @ForeignKey(() => TenantEntity, { name: 'fleet_batch_runs_tenant_id_fkey', onDelete: 'CASCADE' })
  tenantId: string;

  @Column('text')
  outcome: FleetBatchOutcome;

  @Column('uuid', { name: 'run_id', nullable: true })
  runId: string | null;

  /** A gateway error code (`insufficient_role`, `tenant_disabled`, `upstream_unavailable`…) for a rejected tenant. */
  @Column('text', { name: 'reason_code', nullable: true })
  reasonCode: string | null;

  @Column('text', { nullable: true })
  reason: string | null;
}

import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { RunType } from '@policyvault/contracts';

/** One fleet start: the same run type, target and scope for many tenants (their runs: fleet_batch_runs). */
@Entity({ name: 'fleet_batches' })
export class FleetBatchEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  type: RunType;

  @Column('jsonb')
  target: Record<string, unknown>;

  @Column('jsonb')
  scope: Record<string, unknown>;

  @Column('uuid', { name: 'created_by_user_id' })
  createdByUserId: string;

  @Column('varchar', { name: 'created_by_email', length: 320 })
  createdByEmail: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

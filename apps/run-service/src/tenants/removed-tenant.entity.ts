import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A tenant the gateway removed (disabled): the retention clock of its data. The row outlives the
 * purge (`purged_at`), as the record that it happened. Mirrors migration 1769000000000.
 */
@Entity({ name: 'removed_tenants' })
// The purge's due query: tenants not purged yet, oldest removal first.
@Index('removed_tenants_due', ['disabledAt'], { where: 'purged_at IS NULL' })
export class RemovedTenantEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' })
  tenantId: string;

  /** The gateway's `tenants.disabled_at`; the first removal request's value is kept. */
  @Column('timestamptz', { name: 'disabled_at' })
  disabledAt: Date;

  @Column('timestamptz', { name: 'purged_at', nullable: true })
  purgedAt: Date | null;
}

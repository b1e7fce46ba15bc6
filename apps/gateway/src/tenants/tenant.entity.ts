import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A customer's Entra directory that the MSP manages. */
@Entity({ name: 'tenants' })
@Unique('tenants_directory_id_key', ['directoryId'])
@Index('tenants_display_name_idx', ['displayName', 'id'])
export class TenantEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200 })
  displayName: string;

  /** The customer's Entra directory (Graph tenant) id. */
  @Column({ name: 'directory_id', type: 'uuid' })
  directoryId: string;

  /** Free labels for grouping customers (`gold`, `eu`); compared exactly. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  /**
   * When an administrator removed the tenant. A disabled tenant starts no runs (409 tenant_disabled),
   * its schedules are paused in run-service, and its data is kept (README: retention).
   */
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A customer's Entra directory that the MSP manages. */
@Entity({ name: 'tenants' })
export class TenantEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200 })
  displayName: string;

  /** The customer's Entra directory (Graph tenant) id. */
  @Column({ name: 'directory_id', type: 'uuid', unique: true })
  directoryId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

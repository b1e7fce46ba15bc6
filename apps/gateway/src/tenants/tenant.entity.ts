import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A customer's Entra directory that the MSP manages. */
@Entity({ name: 'tenants' })
@Unique('tenants_directory_id_key', ['directoryId'])
export class TenantEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200 })
  displayName: string;

  /** The customer's Entra directory (Graph tenant) id. */
  @Column({ name: 'directory_id', type: 'uuid' })
  directoryId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

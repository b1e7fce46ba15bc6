import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TenantRole } from '@policyvault/contracts';
import { TenantEntity } from './tenant.entity.js';
import { UserEntity } from './user.entity.js';

/** A user's role in one tenant. Foreign keys without TypeORM relations: nothing is loaded behind a query's back. */
@Entity({ name: 'memberships' })
@Index('memberships_tenant_id_idx', ['tenantId'])
export class MembershipEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  @ForeignKey(() => UserEntity, { name: 'memberships_user_id_fkey', onDelete: 'CASCADE' })
  userId: string;

  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  @ForeignKey(() => TenantEntity, { name: 'memberships_tenant_id_fkey', onDelete: 'CASCADE' })
  tenantId: string;

  @Column({ type: 'enum', enum: TenantRole, enumName: 'membership_role' })
  role: TenantRole;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { TenantRole } from '@policyvault/contracts';

/** A user's role in one tenant. Plain foreign-key columns (no TypeORM relations) keep entities independent. */
@Entity({ name: 'memberships' })
@Index('memberships_tenant_id_idx', ['tenantId'])
export class MembershipEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ type: 'enum', enum: TenantRole, enumName: 'membership_role' })
  role: TenantRole;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

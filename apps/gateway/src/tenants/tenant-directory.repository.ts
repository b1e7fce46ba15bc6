import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { DirectoryRole, TenantRole } from '@policyvault/contracts';
import { MembershipEntity } from './membership.entity.js';
import { TenantEntity } from './tenant.entity.js';
import { UserEntity } from './user.entity.js';

/** A membership joined with its tenant: the columns the queries below select, typed by their entities. */
export type MembershipRow = Pick<MembershipEntity, 'userId' | 'tenantId' | 'role'> &
  Pick<TenantEntity, 'directoryId' | 'displayName' | 'disabledAt'>;

/** A tenant with the caller's role in it (owner for an administrator). */
export type VisibleTenantRow = Pick<TenantEntity, 'id' | 'displayName' | 'directoryId' | 'tags' | 'disabledAt' | 'createdAt'> & { role: TenantRole };

/** Who is looking: administrators see every tenant, everyone else their memberships. */
export interface TenantViewer {
  email: string;
  directoryRole: DirectoryRole | null;
}

/** A position in the name-ordered tenant list (display name, id). */
export type TenantListPosition = readonly [displayName: string, id: string];

/** The API's reads of users, tenants and memberships: always through the caller's email. */
@Injectable()
export class TenantDirectoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The caller's standing in one tenant, or null (not a member, unknown user or unknown tenant). An
   * administrator has one in every tenant, as owner, whatever their membership there.
   */
  async findMembership(email: string, tenantId: string): Promise<MembershipRow | null> {
    const row = await this.dataSource
      .createQueryBuilder()
      .from(UserEntity, 'user')
      .innerJoin(TenantEntity, 'tenant', 'tenant.id = :tenantId', { tenantId })
      .leftJoin(MembershipEntity, 'membership', 'membership.userId = user.id AND membership.tenantId = tenant.id')
      .select('user.id', 'userId')
      .addSelect('tenant.id', 'tenantId')
      .addSelect('tenant.directoryId', 'directoryId')
      .addSelect('tenant.displayName', 'displayName')
      .addSelect('tenant.disabledAt', 'disabledAt')
      .addSelect('membership.role', 'role')
      .addSelect('user.directoryRole', 'directoryRole')
      .where('user.email = :email', { email })
      .andWhere('(membership.role IS NOT NULL OR user.directoryRole = :admin)', { admin: DirectoryRole.Admin })
      .getRawOne<MembershipRow & { directoryRole: DirectoryRole | null }>();
    if (!row) return null;
    const { directoryRole, ...membership } = row;
    return { ...membership, role: directoryRole === DirectoryRole.Admin ? TenantRole.Owner : membership.role };
  }

  /** The caller's own memberships (not what the directory role adds), by tenant name. */
  async listMemberships(email: string): Promise<MembershipRow[]> {
    return this.dataSource
      .createQueryBuilder()
      .from(MembershipEntity, 'membership')
      .innerJoin(UserEntity, 'user', 'user.id = membership.userId')
      .innerJoin(TenantEntity, 'tenant', 'tenant.id = membership.tenantId')
      .select('user.id', 'userId')
      .addSelect('tenant.id', 'tenantId')
      .addSelect('tenant.directoryId', 'directoryId')
      .addSelect('tenant.displayName', 'displayName')
      .addSelect('tenant.disabledAt', 'disabledAt')
      .addSelect('membership.role', 'role')
      .where('user.email = :email', { email })
      .orderBy('tenant.displayName', 'ASC')
      .addOrderBy('tenant.id', 'ASC')
      .getRawMany<MembershipRow>();
  }

  async findUser(email: string): Promise<Pick<UserEntity, 'id' | 'displayName' | 'directoryRole'> | null> {
    return this.dataSource.getRepository(UserEntity).findOne({ where: { email }, select: { id: true, displayName: true, directoryRole: true } });
  }

  /** Every tenant id (what an administrator may see). */
  async listTenantIds(): Promise<string[]> {
    const rows = await this.dataSource.getRepository(TenantEntity).find({ select: { id: true }, order: { id: 'ASC' } });
    return rows.map((row) => row.id);
  }

  /** The tenants the viewer may see, by name then id, after `after`; `limit` rows at most. */
  async pageVisible(viewer: TenantViewer, after: TenantListPosition | undefined, limit: number): Promise<VisibleTenantRow[]> {
    const query = this.visibleTenants(viewer);
    if (after) query.andWhere('(tenant.displayName, tenant.id) > (:afterName, CAST(:afterId AS uuid))', { afterName: after[0], afterId: after[1] });
    return query.orderBy('tenant.displayName', 'ASC').addOrderBy('tenant.id', 'ASC').limit(limit).getRawMany<VisibleTenantRow>();
  }

  /** One tenant as the viewer sees it, or null when they may not. */
  async findVisible(viewer: TenantViewer, tenantId: string): Promise<VisibleTenantRow | null> {
    return (await this.visibleTenants(viewer).andWhere('tenant.id = :tenantId', { tenantId }).getRawOne<VisibleTenantRow>()) ?? null;
  }

  private visibleTenants(viewer: TenantViewer): SelectQueryBuilder<TenantEntity> {
    const query = this.dataSource
      .getRepository(TenantEntity)
      .createQueryBuilder('tenant')
      .select('tenant.id', 'id')
      .addSelect('tenant.displayName', 'displayName')
      .addSelect('tenant.directoryId', 'directoryId')
      .addSelect('tenant.tags', 'tags')
      .addSelect('tenant.disabledAt', 'disabledAt')
      .addSelect('tenant.createdAt', 'createdAt');
    if (viewer.directoryRole === DirectoryRole.Admin) return query.addSelect(`'${TenantRole.Owner}'`, 'role').where('TRUE');
    return query
      .innerJoin(MembershipEntity, 'membership', 'membership.tenantId = tenant.id')
      .innerJoin(UserEntity, 'user', 'user.id = membership.userId')
      .addSelect('membership.role', 'role')
      .where('user.email = :email', { email: viewer.email });
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { MembershipEntity } from './membership.entity.js';
import { TenantEntity } from './tenant.entity.js';
import { UserEntity } from './user.entity.js';

/** A membership joined with its tenant: the columns the queries below select, typed by their entities. */
export type MembershipRow = Pick<MembershipEntity, 'userId' | 'tenantId' | 'role'> & Pick<TenantEntity, 'directoryId' | 'displayName'>;

/** The API's reads of users, tenants and memberships: always through the caller's email. */
@Injectable()
export class TenantDirectoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The caller's membership of one tenant, or null (not a member, unknown user or unknown tenant). */
  async findMembership(email: string, tenantId: string): Promise<MembershipRow | null> {
    const row = await this.memberships(email).andWhere('membership.tenantId = :tenantId', { tenantId }).getRawOne<MembershipRow>();
    return row ?? null;
  }

  async listMemberships(email: string): Promise<MembershipRow[]> {
    return this.memberships(email).orderBy('tenant.displayName', 'ASC').addOrderBy('tenant.id', 'ASC').getRawMany<MembershipRow>();
  }

  private memberships(email: string) {
    return this.dataSource
      .createQueryBuilder()
      .from(MembershipEntity, 'membership')
      .innerJoin(UserEntity, 'user', 'user.id = membership.userId')
      .innerJoin(TenantEntity, 'tenant', 'tenant.id = membership.tenantId')
      .select('user.id', 'userId')
      .addSelect('tenant.id', 'tenantId')
      .addSelect('tenant.directoryId', 'directoryId')
      .addSelect('tenant.displayName', 'displayName')
      .addSelect('membership.role', 'role')
      .where('user.email = :email', { email });
  }
}

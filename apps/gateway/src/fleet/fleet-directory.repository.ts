import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { TenantRole } from '@policyvault/contracts';
import { MembershipEntity } from '../tenants/membership.entity.js';
import { TenantEntity } from '../tenants/tenant.entity.js';
import { UserEntity } from '../tenants/user.entity.js';
import type { FleetDirectoryRow } from './fleet-visibility.js';

/** The fleet's one read of the directory: the tenants a caller may see, by name, in one query. */
@Injectable()
export class FleetDirectoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every tenant the caller belongs to, or every tenant for a directory admin; ordered by name. */
  async tenantsFor(email: string, isAdmin: boolean): Promise<FleetDirectoryRow[]> {
    const query = this.dataSource
      .createQueryBuilder(TenantEntity, 'tenant')
      .innerJoin(UserEntity, 'caller', 'caller.email = :email', { email })
      .leftJoin(MembershipEntity, 'membership', 'membership.tenantId = tenant.id AND membership.userId = caller.id')
      .addSelect('caller.id', 'caller_user_id')
      .addSelect('membership.role', 'membership_role')
      .orderBy('tenant.displayName', 'ASC')
      .addOrderBy('tenant.id', 'ASC');
    if (!isAdmin) query.where('membership.role IS NOT NULL');
    const { entities, raw } = await query.getRawAndEntities<{ tenant_id: string; caller_user_id: string; membership_role: TenantRole | null }>();
    const callerRows = new Map(raw.map((row) => [row.tenant_id, row]));
    return entities.flatMap((tenant) => {
      const row = callerRows.get(tenant.id);
      return row ? [{ tenant, userId: row.caller_user_id, membershipRole: row.membership_role }] : [];
    });
  }
}

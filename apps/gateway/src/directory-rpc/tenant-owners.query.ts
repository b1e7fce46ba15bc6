import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { TenantRole, type TenantOwnersReply } from '@policyvault/contracts';
import { MembershipEntity } from '../tenants/membership.entity.js';
import { UserEntity } from '../tenants/user.entity.js';

/** The owners of one tenant, for services that notify them (the tenant id is the query's key). */
@Injectable()
export class TenantOwnersQuery {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async owners(tenantId: string): Promise<TenantOwnersReply> {
    const owners = await this.dataSource
      .createQueryBuilder()
      .from(MembershipEntity, 'membership')
      .innerJoin(UserEntity, 'user', 'user.id = membership.userId')
      .select('user.id', 'userId')
      .addSelect('user.email', 'email')
      .where('membership.tenantId = :tenantId AND membership.role = :owner', { tenantId, owner: TenantRole.Owner })
      .orderBy('user.email')
      .getRawMany<{ userId: string; email: string }>();
    return { owners };
  }
}

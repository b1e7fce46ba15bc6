import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { TenantRole } from '@policyvault/contracts';
import { DirectoryUserLookup } from '../auth/directory-user.lookup.js';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { OtherTenantException } from '../errors/other-tenant.exception.js';
import { MembershipEntity } from '../tenants/membership.entity.js';
import { TenantAccessService } from '../tenants/tenant-access.service.js';
import { TenantEntity } from '../tenants/tenant.entity.js';
import { UserEntity } from '../tenants/user.entity.js';
import type { AddMemberBody } from './member.body.js';
import type { MemberResponse } from './member.response.js';

const MEMBER_NOT_FOUND = 'userId: not a member of this tenant';
const LAST_OWNER = 'the last owner of a tenant cannot be removed or demoted; make another member owner first';

/**
 * A tenant's members. The last-owner rule holds under concurrency: every change that could take an
 * owner away locks the tenant's row first, so two demotions of the tenant's two owners run one after
 * the other and the second sees a single owner (409). This replica forgets its cached access answers
 * after each change; other replicas within MEMBERSHIP_CACHE_TTL_MS.
 */
@Injectable()
export class MemberDirectoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: TenantAccessService,
    private readonly users: DirectoryUserLookup,
  ) {}

  async list(tenantId: string): Promise<MemberResponse[]> {
    return (await this.members(this.dataSource.manager, tenantId).orderBy('user.email', 'ASC').getRawMany<RawMember>()).map(toMember);
  }

  /** 409 when the user is a member already (change the role with PATCH). */
  async add(tenantId: string, body: AddMemberBody): Promise<MemberResponse> {
    const email = body.email.toLowerCase();
    const member = await this.dataSource.transaction(async (manager) => {
      await manager
        .createQueryBuilder()
        .insert()
        .into(UserEntity)
        .values({ email, displayName: body.displayName?.trim() ?? null })
        .orIgnore()
        .execute();
      const user = await manager.findOneByOrFail(UserEntity, { email });
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(MembershipEntity)
        .values({ userId: user.id, tenantId, role: body.role })
        .orIgnore()
        .returning('user_id')
        .updateEntity(false)
        .execute();
      if ((inserted.raw as unknown[]).length === 0) {
        throw new GatewayException(GatewayErrorCode.Conflict, `email: ${email} is a member of this tenant already; change the role with PATCH`);
      }
      return this.require(manager, tenantId, user.id);
    });
    this.forget(email);
    return member;
  }

  async changeRole(tenantId: string, userId: string, role: TenantRole): Promise<MemberResponse> {
    const member = await this.dataSource.transaction(async (manager) => {
      const current = await this.lockedMember(manager, tenantId, userId);
      if (current.role === TenantRole.Owner && role !== TenantRole.Owner) await this.requireAnotherOwner(manager, tenantId);
      await manager.update(MembershipEntity, { tenantId, userId }, { role });
      return this.require(manager, tenantId, userId);
    });
    this.forget(member.email);
    return member;
  }

  async remove(tenantId: string, userId: string): Promise<void> {
    const email = await this.dataSource.transaction(async (manager) => {
      const current = await this.lockedMember(manager, tenantId, userId);
      if (current.role === TenantRole.Owner) await this.requireAnotherOwner(manager, tenantId);
      await manager.delete(MembershipEntity, { tenantId, userId });
      return current.email;
    });
    this.forget(email);
  }

  /** The member, after locking the tenant's row: membership changes of one tenant are serialized. */
  private async lockedMember(manager: EntityManager, tenantId: string, userId: string): Promise<MemberResponse> {
    await manager.getRepository(TenantEntity).createQueryBuilder('tenant').select('tenant.id').where('tenant.id = :tenantId', { tenantId }).setLock('pessimistic_write').getOne();
    return this.require(manager, tenantId, userId);
  }

  private async requireAnotherOwner(manager: EntityManager, tenantId: string): Promise<void> {
    const owners = await manager.countBy(MembershipEntity, { tenantId, role: TenantRole.Owner });
    if (owners <= 1) throw new GatewayException(GatewayErrorCode.Conflict, LAST_OWNER);
  }

  private async require(manager: EntityManager, tenantId: string, userId: string): Promise<MemberResponse> {
    const row = await this.members(manager, tenantId).andWhere('membership.userId = :userId', { userId }).getRawOne<RawMember>();
    if (!row) throw new OtherTenantException(await this.tenantsOf(manager, userId), MEMBER_NOT_FOUND);
    return toMember(row);
  }

  /** The tenants the user is a member of (none for an unknown id): whose user it is, when not this tenant's. */
  private async tenantsOf(manager: EntityManager, userId: string): Promise<string[]> {
    return (await manager.find(MembershipEntity, { where: { userId }, select: { tenantId: true } })).map((membership) => membership.tenantId);
  }

  private members(manager: EntityManager, tenantId: string) {
    return manager
      .createQueryBuilder()
      .from(MembershipEntity, 'membership')
      .innerJoin(UserEntity, 'user', 'user.id = membership.userId')
      .select('user.id', 'userId')
      .addSelect('user.email', 'email')
      .addSelect('user.displayName', 'displayName')
      .addSelect('membership.role', 'role')
      .addSelect('membership.createdAt', 'addedAt')
      .where('membership.tenantId = :tenantId', { tenantId });
  }

  private forget(email: string): void {
    this.access.forgetAll();
    this.users.forget(email);
  }
}

type RawMember = Omit<MemberResponse, 'addedAt'> & { addedAt: Date | string };

function toMember(row: RawMember): MemberResponse {
  return { ...row, addedAt: new Date(row.addedAt).toISOString() };
}

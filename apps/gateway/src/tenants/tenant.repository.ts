import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { TenantEntity } from './tenant.entity.js';

export type NewTenant = Pick<TenantEntity, 'displayName' | 'directoryId' | 'tags'>;
export type TenantChanges = Partial<Pick<TenantEntity, 'displayName' | 'tags'>>;

/** The gateway's writes of tenants (administrators onboard and remove them; owners rename and tag). */
@Injectable()
export class TenantRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The new tenant, or null when a tenant with the same directory id exists (the unique key decides, not a prior read). */
  async insert(tenant: NewTenant): Promise<TenantEntity | null> {
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(TenantEntity)
      .values(tenant)
      .orIgnore()
      .returning('id')
      .updateEntity(false)
      .execute();
    const [row] = result.raw as { id: string }[];
    return row ? this.dataSource.getRepository(TenantEntity).findOneByOrFail({ id: row.id }) : null;
  }

  async update(tenantId: string, changes: TenantChanges): Promise<void> {
    await this.dataSource.getRepository(TenantEntity).update({ id: tenantId }, changes);
  }

  /** Disables the tenant now, or keeps the instant it was first disabled; answers that instant (null: no such tenant). */
  async disable(tenantId: string): Promise<Date | null> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(TenantEntity)
      .set({ disabledAt: () => 'COALESCE(disabled_at, now())' })
      .where('id = :tenantId', { tenantId })
      .returning('disabled_at')
      .updateEntity(false)
      .execute();
    const [row] = result.raw as { disabled_at: Date }[];
    return row ? new Date(row.disabled_at) : null;
  }
}

import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PolicyEntity } from '../store/policy.entity.js';

/**
 * The inventory rows imported objects are versions of. An object already known (same tenant, type and Graph
 * id: a PolicyVault export of this tenant) is that policy; an unknown one is added as not seen in Graph
 * (`missing_since` set: the import read a file, not the tenant; an inventory sync that finds it clears it).
 */
@Injectable()
export class ImportedPoliciesRepository {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  async ensure(tenantId: string, policyType: string, graphId: string, displayName: string, at: Date): Promise<PolicyEntity> {
    const policies = this.database.getRepository(PolicyEntity);
    await policies
      .createQueryBuilder()
      .insert()
      .values({ id: randomUUID(), tenantId, policyType, graphId, displayName: displayName.slice(0, 500), firstSeenAt: at, lastSeenAt: at, missingSince: at, latestVersionId: null })
      .orIgnore()
      .execute();
    const policy = await policies.findOneBy({ tenantId, policyType, graphId });
    if (!policy) throw new Error('the imported policy was neither inserted nor found');
    return policy;
  }
}

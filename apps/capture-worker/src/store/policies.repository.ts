import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, IsNull, type DataSource } from 'typeorm';
import { UPSERT_LISTED_POLICIES, type UpsertedPolicyRow } from '../database/capture.sql.js';
import { PolicyEntity } from './policy.entity.js';

export interface ListedPolicy {
  graphId: string;
  displayName: string;
}

/** The inventory, for the jobs. Every method takes the tenant first: no query can forget it. */
@Injectable()
export class PoliciesRepository {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  private get policies() {
    return this.database.getRepository(PolicyEntity);
  }

  /**
   * Records what a complete listing of one type found: new objects are added, known ones are marked
   * seen (and no longer missing). Returns the policies in the listing's order and how many were new.
   */
  async upsertListed(tenantId: string, policyType: string, listed: ListedPolicy[], seenAt: Date): Promise<{ policies: PolicyEntity[]; added: number }> {
    // One row per Graph id, in a fixed order so that two concurrent syncs lock rows in the same order.
    const unique = [...new Map(listed.map((policy) => [policy.graphId, policy])).values()].sort((a, b) => (a.graphId < b.graphId ? -1 : 1));
    if (unique.length === 0) return { policies: [], added: 0 };
    const rows: UpsertedPolicyRow[] = await this.database.query(UPSERT_LISTED_POLICIES, [
      tenantId,
      policyType,
      unique.map((policy) => policy.graphId),
      unique.map((policy) => policy.displayName.slice(0, 500)),
      seenAt,
    ]);
    const byGraphId = new Map(rows.map(({ inserted: _inserted, ...policy }) => [policy.graphId, this.policies.create(policy)]));
    return {
      policies: listed.map((policy) => byGraphId.get(policy.graphId)).filter((policy): policy is PolicyEntity => policy !== undefined),
      added: rows.filter((row) => row.inserted).length,
    };
  }

  /** After a complete listing of a type: everything of that type it did not find is missing from Graph. */
  async markMissingExcept(tenantId: string, policyType: string, seenGraphIds: string[], at: Date): Promise<number> {
    const result = await this.policies
      .createQueryBuilder()
      .update()
      .set({ missingSince: at })
      .where({ tenantId, policyType, missingSince: IsNull() })
      .andWhere('NOT (graph_id = ANY(:seenGraphIds::text[]))', { seenGraphIds })
      .execute();
    return result.affected ?? 0;
  }

  async markMissing(tenantId: string, policyId: string, at: Date): Promise<void> {
    await this.policies.update({ tenantId, id: policyId, missingSince: IsNull() }, { missingSince: at });
  }

  async find(tenantId: string, policyId: string): Promise<PolicyEntity | undefined> {
    return (await this.policies.findOneBy({ tenantId, id: policyId })) ?? undefined;
  }

  async findByIds(tenantId: string, policyIds: string[]): Promise<PolicyEntity[]> {
    if (policyIds.length === 0) return [];
    return this.policies.findBy({ tenantId, id: In(policyIds) });
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { toPolicyRecord, type PolicyRecord, type PolicyRow } from './policy-record.js';

export interface ListedPolicy {
  graphId: string;
  displayName: string;
}

const POLICY_COLUMNS = 'id, tenant_id, policy_type, graph_id, display_name, latest_version_id, missing_since';

/** The inventory, for the jobs. Every method takes the tenant first: no query can forget it. */
@Injectable()
export class PoliciesRepository {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  /**
   * Records what a complete listing of one type found: new objects are added, known ones are marked
   * seen (and no longer missing). Returns the policies in the listing's order and how many were new.
   */
  async upsertListed(tenantId: string, policyType: string, listed: ListedPolicy[], seenAt: Date): Promise<{ policies: PolicyRecord[]; added: number }> {
    // One row per Graph id, in a fixed order so that two concurrent syncs lock rows in the same order.
    const unique = [...new Map(listed.map((policy) => [policy.graphId, policy])).values()].sort((a, b) => (a.graphId < b.graphId ? -1 : 1));
    if (unique.length === 0) return { policies: [], added: 0 };
    const rows: (PolicyRow & { inserted: boolean })[] = await this.database.query(
      `INSERT INTO capture.policies (tenant_id, policy_type, graph_id, display_name, first_seen_at, last_seen_at)
       SELECT $1, $2, listed.graph_id, listed.display_name, $5, $5
       FROM unnest($3::text[], $4::text[]) AS listed (graph_id, display_name)
       ON CONFLICT (tenant_id, policy_type, graph_id) DO UPDATE SET
         display_name = EXCLUDED.display_name,
         last_seen_at = GREATEST(capture.policies.last_seen_at, EXCLUDED.last_seen_at),
         missing_since = NULL
       RETURNING ${POLICY_COLUMNS}, (xmax = 0) AS inserted`,
      [tenantId, policyType, unique.map((policy) => policy.graphId), unique.map((policy) => policy.displayName.slice(0, 500)), seenAt],
    );
    const byGraphId = new Map(rows.map((row) => [row.graph_id, toPolicyRecord(row)]));
    return {
      policies: listed.map((policy) => byGraphId.get(policy.graphId)).filter((policy): policy is PolicyRecord => policy !== undefined),
      added: rows.filter((row) => row.inserted).length,
    };
  }

  /** After a complete listing of a type: everything of that type it did not find is missing from Graph. */
  async markMissingExcept(tenantId: string, policyType: string, seenGraphIds: string[], at: Date): Promise<number> {
    const [, count]: [unknown, number] = await this.database.query(
      `UPDATE capture.policies SET missing_since = $4
       WHERE tenant_id = $1 AND policy_type = $2 AND missing_since IS NULL AND NOT (graph_id = ANY($3::text[]))`,
      [tenantId, policyType, seenGraphIds, at],
    );
    return count;
  }

  async markMissing(tenantId: string, policyId: string, at: Date): Promise<void> {
    await this.database.query(
      `UPDATE capture.policies SET missing_since = $3 WHERE tenant_id = $1 AND id = $2 AND missing_since IS NULL`,
      [tenantId, policyId, at],
    );
  }

  async find(tenantId: string, policyId: string): Promise<PolicyRecord | undefined> {
    return (await this.findByIds(tenantId, [policyId]))[0];
  }

  async findByIds(tenantId: string, policyIds: string[]): Promise<PolicyRecord[]> {
    if (policyIds.length === 0) return [];
    const rows: PolicyRow[] = await this.database.query(
      `SELECT ${POLICY_COLUMNS} FROM capture.policies WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
      [tenantId, policyIds],
    );
    return rows.map(toPolicyRecord);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface ReusableVersion {
  versionId: string;
  policyId: string;
  contentHash: string;
  sizeBytes: number;
  snapshot: Record<string, unknown>;
}

/**
 * Incremental capture's record (capture.policies list_entry_* columns): which list entry each policy's
 * last complete read started from and which version it stored (written with the version: `RECORD_VERSIONS`), how
 * many runs reused it since, and the versions to reuse. Every method takes the tenant first.
 */
@Injectable()
export class PolicyListEntriesRepository {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  /** One more run reused these policies' versions. */
  async markReused(tenantId: string, policyIds: string[]): Promise<void> {
    if (policyIds.length === 0) return;
    await this.database.query(
      `UPDATE capture.policies SET reused_since_full_read = reused_since_full_read + 1 WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
      [tenantId, policyIds],
    );
  }

  /** The stored versions to reuse (a version retention removed meanwhile is simply absent). */
  async versions(tenantId: string, versionIds: string[]): Promise<Map<string, ReusableVersion>> {
    if (versionIds.length === 0) return new Map();
    const rows: ReusableVersion[] = await this.database.query(
      `SELECT id AS "versionId", policy_id AS "policyId", content_hash AS "contentHash", size_bytes AS "sizeBytes", snapshot
       FROM capture.policy_versions WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
      [tenantId, versionIds],
    );
    return new Map(rows.map((row) => [row.versionId, row]));
  }
}

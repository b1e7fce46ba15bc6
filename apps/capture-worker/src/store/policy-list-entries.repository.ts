import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { RECORD_FULL_READS } from '../database/capture.sql.js';

export interface FullRead {
  policyId: string;
  listEntryHash: string;
  versionId: string;
}

export interface ReusableVersion {
  versionId: string;
  policyId: string;
  contentHash: string;
  sizeBytes: number;
  snapshot: Record<string, unknown>;
}

/**
 * Incremental capture's record (capture.policies list_entry_* columns): which list entry each policy's
 * last complete read started from and which version it stored. Every method takes the tenant first.
 */
@Injectable()
export class PolicyListEntriesRepository {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  /** After complete reads: each policy's list entry and the version it gave (one statement per chunk). */
  async recordFullReads(tenantId: string, reads: FullRead[], at: Date): Promise<void> {
    if (reads.length === 0) return;
    await RECORD_FULL_READS.rows(this.database, [tenantId, reads.map((read) => read.policyId), reads.map((read) => read.listEntryHash), reads.map((read) => read.versionId), at]);
  }

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

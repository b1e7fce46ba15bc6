import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { contentHash } from './content-hash.js';

/**
 * What storing a snapshot did: `captured` (a new version; also when this run stored it on an earlier
 * delivery), `unchanged` (same content as the latest version), `reverted` (same content as an older
 * version, which becomes the latest again; identical content is never stored twice).
 */
export type VersionOutcome = 'captured' | 'unchanged' | 'reverted';

export interface RecordedVersion {
  versionId: string;
  outcome: VersionOutcome;
  contentHash: string;
  sizeBytes: number;
}

// Lock the policy, insert the version unless its content is stored, pick the new or the existing
// version, make it the latest. `previous` is the latest version before this capture.
const RECORD_VERSION = `
  WITH policy AS (
    SELECT id, latest_version_id FROM capture.policies WHERE id = $3 AND tenant_id = $2 FOR UPDATE
  ), inserted AS (
    INSERT INTO capture.policy_versions (id, tenant_id, policy_id, content_hash, snapshot, size_bytes, captured_at, captured_by_run_id)
    SELECT $1, $2, policy.id, $4, $5::jsonb, $6, clock_timestamp(), $7 FROM policy
    ON CONFLICT (policy_id, content_hash) DO NOTHING
    RETURNING id, captured_by_run_id
  ), chosen AS (
    SELECT id, captured_by_run_id, true AS inserted FROM inserted
    UNION ALL
    SELECT v.id, v.captured_by_run_id, false FROM capture.policy_versions v JOIN policy ON v.policy_id = policy.id
    WHERE v.tenant_id = $2 AND v.content_hash = $4 AND NOT EXISTS (SELECT 1 FROM inserted)
  ), updated AS (
    UPDATE capture.policies p SET latest_version_id = chosen.id, display_name = $8,
      last_seen_at = GREATEST(p.last_seen_at, clock_timestamp()), missing_since = NULL
    FROM chosen WHERE p.id = $3 AND p.tenant_id = $2
    RETURNING p.id
  )
  SELECT chosen.id, chosen.captured_by_run_id, COALESCE(chosen.inserted, false) AS inserted, policy.latest_version_id AS previous, true AS found
  FROM policy LEFT JOIN chosen ON true`;

/** Immutable policy versions, for the jobs. Every method takes the tenant first. */
@Injectable()
export class PolicyVersionsRepository {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  /**
   * Stores a snapshot as the policy's latest version unless identical content is already stored, in one
   * statement (one round trip). The policy row is locked first, so concurrent captures of one policy (two
   * runs, two replicas) take turns and agree on the outcome. Undefined when the policy is not in this tenant.
   */
  async record(tenantId: string, policyId: string, snapshot: Record<string, unknown>, displayName: string, runId: string): Promise<RecordedVersion | undefined> {
    const hash = contentHash(snapshot);
    const json = JSON.stringify(snapshot);
    const sizeBytes = Buffer.byteLength(json);
    const parameters = [randomUUID(), tenantId, policyId, hash, json, sizeBytes, runId, displayName.slice(0, 500)];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const rows: { id: string; captured_by_run_id: string; inserted: boolean; previous: string | null; found: boolean }[] = await this.database.query(
        RECORD_VERSION,
        parameters,
      );
      if (rows.length === 0 || !rows[0].found) return undefined;
      const row = rows[0];
      // Empty id: a concurrent capture committed the same content after this statement's snapshot was
      // taken (it waited for the policy lock); the next attempt sees it.
      if (!row.id) continue;
      const outcome: VersionOutcome = row.inserted || row.captured_by_run_id === runId ? 'captured' : row.id === row.previous ? 'unchanged' : 'reverted';
      return { versionId: row.id, outcome, contentHash: hash, sizeBytes };
    }
    throw new Error('could not record a policy version');
  }

  /** The version this run stored for the policy on an earlier delivery, if any (redelivery skips Graph). */
  async findCapturedByRun(tenantId: string, policyId: string, runId: string): Promise<{ versionId: string; contentHash: string } | undefined> {
    const rows: { id: string; content_hash: string }[] = await this.database.query(
      `SELECT id, content_hash FROM capture.policy_versions WHERE tenant_id = $1 AND policy_id = $2 AND captured_by_run_id = $3
       ORDER BY captured_at DESC LIMIT 1`,
      [tenantId, policyId, runId],
    );
    return rows[0] ? { versionId: rows[0].id, contentHash: rows[0].content_hash } : undefined;
  }

}

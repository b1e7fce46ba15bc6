import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { RECORD_VERSION, type RecordVersionRow } from '../database/capture.sql.js';
import { contentHash } from './content-hash.js';
import { PolicyVersionEntity } from './policy-version.entity.js';

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
      const rows: RecordVersionRow[] = await this.database.query(RECORD_VERSION, parameters);
      if (rows.length === 0 || !rows[0].found) return undefined;
      const row = rows[0];
      // Empty id: a concurrent capture committed the same content after this statement's snapshot was
      // taken (it waited for the policy lock); the next attempt sees it.
      if (!row.id) continue;
      const outcome: VersionOutcome = row.inserted || row.capturedByRunId === runId ? 'captured' : row.id === row.previous ? 'unchanged' : 'reverted';
      return { versionId: row.id, outcome, contentHash: hash, sizeBytes };
    }
    throw new Error('could not record a policy version');
  }

  /** The version this run stored for the policy on an earlier delivery, if any (redelivery skips Graph). */
  async findCapturedByRun(tenantId: string, policyId: string, runId: string): Promise<{ versionId: string; contentHash: string } | undefined> {
    const version = await this.database.getRepository(PolicyVersionEntity).findOne({
      select: { id: true, contentHash: true },
      where: { tenantId, policyId, capturedByRunId: runId },
      order: { capturedAt: 'DESC' },
    });
    return version ? { versionId: version.id, contentHash: version.contentHash } : undefined;
  }
}

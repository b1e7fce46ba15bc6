import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { jsonTextsParameter } from '@policyvault/platform';
import { RECORD_VERSIONS } from '../database/capture.sql.js';
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

export interface SnapshotToRecord {
  policyId: string;
  snapshot: Record<string, unknown>;
  displayName: string;
  /**
   * Incremental capture: the hash of the list entry this complete read started from, recorded with the version it
   * gives (the next capture may reuse that version while the entry stays the same). Absent: left as it was.
   */
  listEntryHash?: string;
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
    const [version] = await this.recordAll(tenantId, runId, [{ policyId, snapshot, displayName }]);
    return version;
  }

  /**
   * `record` for snapshots of distinct policies (a chunk of a capture), all in one statement: one result per
   * snapshot, in order, each as `record` alone would give it.
   */
  async recordAll(tenantId: string, runId: string, snapshots: SnapshotToRecord[]): Promise<Array<RecordedVersion | undefined>> {
    if (snapshots.length === 0) return [];
    const prepared = snapshots.map(({ policyId, snapshot, displayName, listEntryHash }) => {
      const json = JSON.stringify(snapshot);
      return { policyId, hash: contentHash(snapshot), json, sizeBytes: Buffer.byteLength(json), displayName: displayName.slice(0, 500), listEntryHash: listEntryHash ?? null };
    });
    if (new Set(prepared.map((entry) => entry.policyId)).size !== prepared.length) throw new Error('recordAll takes one snapshot per policy');
    const results: Array<RecordedVersion | undefined> = new Array(prepared.length).fill(undefined);
    let pending = [...prepared.keys()];
    for (let attempt = 1; attempt <= 3 && pending.length > 0; attempt += 1) {
      const entries = pending.map((index) => prepared[index]);
      const rows = await RECORD_VERSIONS.rows(this.database, [
        tenantId,
        runId,
        entries.map(() => randomUUID()),
        entries.map((entry) => entry.policyId),
        entries.map((entry) => entry.hash),
        jsonTextsParameter(entries.map((entry) => entry.json)),
        entries.map((entry) => entry.sizeBytes),
        entries.map((entry) => entry.displayName),
        entries.map((entry) => entry.listEntryHash),
      ]);
      const retry: number[] = [];
      for (const row of rows) {
        const index = pending[row.ordinal - 1];
        // Not found: the policy is not in this tenant (undefined). Empty id: a concurrent capture committed the
        // same content after this statement's snapshot was taken (it waited for the policy lock); the next attempt sees it.
        if (!row.found) continue;
        if (!row.id) {
          retry.push(index);
          continue;
        }
        const outcome: VersionOutcome = row.inserted || row.capturedByRunId === runId ? 'captured' : row.id === row.previous ? 'unchanged' : 'reverted';
        results[index] = { versionId: row.id, outcome, contentHash: prepared[index].hash, sizeBytes: prepared[index].sizeBytes };
      }
      pending = retry;
    }
    if (pending.length > 0) throw new Error('could not record a policy version');
    return results;
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

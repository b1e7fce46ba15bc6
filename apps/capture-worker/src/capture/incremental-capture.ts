import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CapturedReferences } from '@policyvault/contracts';
import { GraphError, getPolicyTypeContract, listingExpandsAssignments, pathRelationsFor, type PolicyTypeContract } from '@policyvault/graph';
import { SecretCipher } from '@policyvault/platform';
import { forEachLimited, type Job } from '@policyvault/worker-runtime';
import { CaptureWorkerConfig } from '../capture-worker.config.js';
import { canonicalJson } from '../store/content-hash.js';
import { PolicyListEntriesRepository } from '../store/policy-list-entries.repository.js';
import type { CaptureResult, CaptureResults, CaptureTarget } from './policy-capture.service.js';
import type { ReferenceNameReader } from './reference-names.js';

/** Reused policies handled per database round trip (their stored snapshots are loaded for the reference names). */
const REUSED_PER_ROUND = 200;
/** Reused policies handed on at once, and such chunks at once: as a complete capture hands on its reads (40, 4 in flight). */
const RESULTS_PER_CHUNK = 40;
const CHUNKS_IN_FLIGHT = 4;

/**
 * Incremental capture (ARCHITECTURE.md): a backup reuses a policy's stored version instead of reading the
 * object and its relations again when all of these hold —
 * - the policy came from this run's live listing, and its list entry carries `lastModifiedDateTime`;
 * - its type does not opt out (`reuseUnchangedListing: false` in the Graph registry);
 * - the entry shows the assignments when the type reads them by path: listed with `$expand=assignments`, and Graph
 *   answered them (an assignment moves no stamp). A type whose listing may not expand them (mobile apps, Graph's
 *   deprecation) is read completely each time, and so is an entry Graph answered without them;
 * - the list entry is identical (every property, `lastModifiedDateTime` included, and the active secret
 *   key) to the one the policy's last complete read started from, and the version that read stored is
 *   still the policy's latest;
 * - that complete read is younger than CAPTURE_FULL_READ_MAX_AGE_HOURS and fewer than
 *   CAPTURE_FULL_READ_EVERY_RUNS − 1 runs reused it since (the periodic full capture).
 * A reused policy is reported like a complete read of unchanged content (`unchanged`, same version and
 * content hash) and its reference names are read the same way, so the backup set is the same.
 */
@Injectable()
export class IncrementalCapture {
  constructor(
    private readonly config: CaptureWorkerConfig,
    private readonly cipher: SecretCipher,
    private readonly entries: PolicyListEntriesRepository,
  ) {}

  /**
   * The hash a list entry is compared by: every property but OData annotations, and the active key id
   * (a key rotation makes the next capture read everything again, so secrets are re-encrypted).
   */
  listEntryHash(listed: Record<string, unknown>): string {
    return createHash('sha256').update(this.cipher.activeKeyId).update('\n').update(canonicalJson(listed, false)).digest('hex');
  }

  /** Sets each listed target's list entry hash and splits off those whose stored version can be reused. */
  split(targets: CaptureTarget[], now = new Date()): { reuse: CaptureTarget[]; read: CaptureTarget[] } {
    const reuse: CaptureTarget[] = [];
    const read: CaptureTarget[] = [];
    for (const target of targets) {
      if (target.listed) target.listEntryHash = this.listEntryHash(target.listed);
      (this.reusable(target, now) ? reuse : read).push(target);
    }
    return { reuse, read };
  }

  private reusable({ policy, listed, listEntryHash }: CaptureTarget, now: Date): boolean {
    const { CAPTURE_FULL_READ_EVERY_RUNS: everyRuns, CAPTURE_FULL_READ_MAX_AGE_HOURS: maxAgeHours } = this.config;
    if (!listed || !listEntryHash || typeof listed.lastModifiedDateTime !== 'string') return false;
    const lookup = getPolicyTypeContract(policy.policyType);
    if (!lookup.supported || lookup.contract.reuseUnchangedListing === false) return false;
    if (!showsAssignments(lookup.contract, listed)) return false;
    if (policy.listEntryHash !== listEntryHash || !policy.listEntryVersionId || policy.listEntryVersionId !== policy.latestVersionId) return false;
    if (!policy.fullReadAt || now.getTime() - new Date(policy.fullReadAt).getTime() >= maxAgeHours * 3_600_000) return false;
    return policy.reusedSinceFullRead + 1 < everyRuns;
  }

  /**
   * Reports the reusable targets through `onResults` as a complete read would, and returns those whose
   * version is gone (removed meanwhile): the caller reads them.
   */
  async reuse(job: Job, targets: CaptureTarget[], onResults: CaptureResults, referenceNames?: ReferenceNameReader): Promise<CaptureTarget[]> {
    const tenantId = job.command.tenantId;
    const unavailable: CaptureTarget[] = [];
    for (let index = 0; index < targets.length; index += REUSED_PER_ROUND) {
      await job.checkpoint();
      const round = targets.slice(index, index + REUSED_PER_ROUND);
      const versions = await this.entries.versions(tenantId, round.map((target) => target.policy.listEntryVersionId!));
      const found = round.filter((target) => versions.get(target.policy.listEntryVersionId!)?.policyId === target.policy.id);
      unavailable.push(...round.filter((target) => !found.includes(target)));
      const snapshots = found.map((target) => versions.get(target.policy.listEntryVersionId!)!);
      let references: CapturedReferences[] = [];
      try {
        if (referenceNames) references = await referenceNames.namesFor(snapshots.map((version) => version.snapshot));
      } catch (error) {
        // Names Graph would not give now: these policies take the complete read, which reports it as usual.
        if (!(error instanceof GraphError)) throw error;
        unavailable.push(...found);
        continue;
      }
      const results: CaptureResult[] = found.map((target, position) => {
        const version = snapshots[position];
        return {
          kind: 'captured',
          target,
          displayName: target.policy.displayName,
          version: { versionId: version.versionId, outcome: 'unchanged', contentHash: version.contentHash, sizeBytes: version.sizeBytes },
          references: references[position] ?? {},
        };
      });
      // Handed on in chunks as a complete capture hands on its reads, a few at once (as its reads in flight).
      const chunks: CaptureResult[][] = [];
      for (let start = 0; start < results.length; start += RESULTS_PER_CHUNK) chunks.push(results.slice(start, start + RESULTS_PER_CHUNK));
      await forEachLimited(chunks, CHUNKS_IN_FLIGHT, onResults);
      await this.entries.markReused(tenantId, found.map((target) => target.policy.id));
    }
    return unavailable;
  }
}

/** Whether a list entry shows its assignments, where only the listing can (the type reads them by path). */
function showsAssignments(contract: PolicyTypeContract, listed: Record<string, unknown>): boolean {
  if (!pathRelationsFor(contract).some((sub) => sub.name === 'assignments')) return true;
  return listingExpandsAssignments(contract) && Array.isArray(listed.assignments);
}

import { Injectable } from '@nestjs/common';
import { SafeErrorCode, type CapturedReferences, type SafeError } from '@policyvault/contracts';
import { GraphError, Semaphore, getPolicyTypeContract, readPolicySnapshots, type ReadSnapshotsResult } from '@policyvault/graph';
import { forEachLimited, graphFailure, itemFailure, type Job } from '@policyvault/worker-runtime';
import type { PolicyEntity } from '../store/policy.entity.js';
import { PoliciesRepository } from '../store/policies.repository.js';
import { PolicyVersionsRepository, type RecordedVersion } from '../store/policy-versions.repository.js';
import { SecretOmaSettings, type SealedObject } from './secret-oma-settings.js';
import type { ReferenceNameReader } from './reference-names.js';
import { SettingDefinitionCapture } from '../documentation/setting-definition-capture.js';

/** Policies read per `readPolicySnapshots` call (its sub-requests go out in `$batch`es of 20). */
export const POLICIES_PER_READ = 40;
/** Reads in flight per run: the tenant's pacer decides the actual rate; this keeps it fed. */
export const READS_IN_FLIGHT = 4;

export interface CaptureTarget {
  policy: PolicyEntity;
  /** The object as a live listing returned it: spares a read when the type's list shape is complete. */
  listed?: Record<string, unknown>;
  /** The hash of `listed` (incremental capture): recorded with the version a complete read stores. */
  listEntryHash?: string;
}

export type CaptureResult =
  | { kind: 'captured'; target: CaptureTarget; displayName: string; version: RecordedVersion; references: CapturedReferences }
  | { kind: 'failed'; target: CaptureTarget; error: SafeError }
  | { kind: 'unsupported'; target: CaptureTarget; error: SafeError };

export function unsupportedTypeError(policyType: string): SafeError {
  return { code: SafeErrorCode.UnsupportedPolicyType, message: 'This policy type is not supported.', context: { policyType } };
}

/** What a capture hands on: the results of one chunk (a read of up to POLICIES_PER_READ policies) at once. */
export type CaptureResults = (results: CaptureResult[]) => Promise<void>;

/**
 * Captures policies into immutable versions: reads them through `$batch` (several policies per call,
 * sub-resources included), stores each snapshot unless identical content is stored already (a chunk's
 * snapshots in one statement), and hands a chunk's results to `onResults` as soon as it is stored, so the run
 * reports progress as it goes.
 */
@Injectable()
export class PolicyCaptureService {
  constructor(
    private readonly versions: PolicyVersionsRepository,
    private readonly policies: PoliciesRepository,
    private readonly secrets: SecretOmaSettings,
    private readonly definitions: SettingDefinitionCapture,
  ) {}

  /**
   * @param options.reads bounds the reads in flight; pass one shared by several calls of the same run
   *   (types captured as their listings arrive) so that together they stay within READS_IN_FLIGHT.
   * @param options.referenceNames when given (backup sets), each result carries the display names of
   *   what the snapshot references, read through this run's reader.
   */
  async captureAll(
    job: Job,
    targets: CaptureTarget[],
    onResults: CaptureResults,
    { reads = new Semaphore(READS_IN_FLIGHT), referenceNames }: { reads?: Semaphore; referenceNames?: ReferenceNameReader } = {},
  ): Promise<void> {
    const chunks: CaptureTarget[][] = [];
    const byType = new Map<string, CaptureTarget[]>();
    for (const target of targets) byType.set(target.policy.policyType, [...(byType.get(target.policy.policyType) ?? []), target]);
    for (const group of byType.values()) {
      for (let index = 0; index < group.length; index += POLICIES_PER_READ) chunks.push(group.slice(index, index + POLICIES_PER_READ));
    }
    await forEachLimited(chunks, READS_IN_FLIGHT, (chunk) =>
      reads.run(async () => {
        // Checked once the read may start (reads are shared by the run): a cancel starts no new read.
        await job.checkpoint();
        await this.captureChunk(job, chunk, onResults, referenceNames);
      }),
    );
  }

  private async captureChunk(job: Job, chunk: CaptureTarget[], onResults: CaptureResults, referenceNames?: ReferenceNameReader): Promise<void> {
    const policyType = chunk[0].policy.policyType;
    const failAll = (kind: 'failed' | 'unsupported', error: SafeError) => onResults(chunk.map((target) => ({ kind, target, error })));
    if (!getPolicyTypeContract(policyType).supported) return failAll('unsupported', unsupportedTypeError(policyType));
    let read: ReadSnapshotsResult;
    let sealed: SealedObject[] = [];
    try {
      // A policy never captured before most likely uses definitions this tenant has not stored: the settings are read
      // with them (`$expand`) instead of a request per definition afterwards.
      const definitions = chunk.some((target) => target.policy.latestVersionId === null);
      read = await readPolicySnapshots(job.client, policyType, chunk.map((target) => target.listed ?? target.policy.graphId), { definitions });
      // Secret values replaced by envelopes before anything is stored (their plaintext read by reference).
      if (read.supported) sealed = await this.secrets.seal(job.client, policyType, read.results.map((result) => (result.ok ? result.snapshot.object : {})));
      // Settings catalog definitions for the as-built documentation, stored apart from the snapshots.
      if (read.supported) {
        const snapshots = read.results.map((result) => (result.ok ? result.snapshot.object : {}));
        await this.definitions.capture(job.client, job.command.tenantId, snapshots, read.definitions);
      }
    } catch (error) {
      // One object answering 5xx fails only its own item (libs/graph turns it into a per-item error).
      // A whole call failing transiently means every sub-request failed through every retry: the
      // chunk's items fail; a tenant that is down opens its breaker and TenantUnavailable postpones.
      if (isTransientFailure(error)) return failAll('failed', (error as GraphError).toSafeError(policyType));
      return failAll('failed', graphFailure(error, job.retryDelayMs, policyType));
    }
    if (!read.supported) return failAll('unsupported', unsupportedTypeError(policyType));
    const results = read.results;
    let references: CapturedReferences[];
    try {
      references = referenceNames ? await referenceNames.namesFor(results.map((result) => (result.ok ? result.snapshot.object : {}))) : [];
    } catch (error) {
      if (isTransientFailure(error)) return failAll('failed', (error as GraphError).toSafeError(policyType));
      return failAll('failed', graphFailure(error, job.retryDelayMs, policyType));
    }
    const { tenantId, runId } = job.command;
    const outcomes: CaptureResult[] = [];
    const toRecord: { index: number; target: CaptureTarget; snapshot: Record<string, unknown>; displayName: string }[] = [];
    for (const [index, snapshot] of results.entries()) {
      const target = chunk[index];
      if (!snapshot.ok) {
        const error = itemFailure(snapshot.error, policyType);
        if (error.code === SafeErrorCode.GraphNotFound) await this.policies.markMissing(tenantId, target.policy.id, new Date());
        outcomes[index] = { kind: 'failed', target, error };
        continue;
      }
      const secretsSealed = sealed[index];
      if (!secretsSealed.ok) {
        outcomes[index] = { kind: 'failed', target, error: secretsSealed.error };
        continue;
      }
      toRecord.push({ index, target, snapshot: secretsSealed.object, displayName: snapshot.snapshot.displayName || target.policy.displayName });
    }
    // The chunk's snapshots in one statement, each as if stored alone, with the list entries their reads started from.
    const versions = await this.versions.recordAll(
      tenantId,
      runId,
      toRecord.map(({ target, snapshot, displayName }) => ({ policyId: target.policy.id, snapshot, displayName, listEntryHash: target.listEntryHash })),
    );
    toRecord.forEach(({ index, target, displayName }, position) => {
      const version = versions[position];
      if (!version) {
        outcomes[index] = { kind: 'failed', target, error: { code: SafeErrorCode.NotFound, message: 'The policy is no longer in the inventory.' } };
        return;
      }
      outcomes[index] = { kind: 'captured', target, displayName, version, references: references[index] ?? {} };
    });
    await onResults(outcomes.filter((outcome) => outcome !== undefined));
  }
}

/** A transient Graph failure of a whole call that is not the tenant's breaker being open. */
function isTransientFailure(error: unknown): boolean {
  return error instanceof GraphError && error.transient && error.code !== SafeErrorCode.TenantUnavailable;
}

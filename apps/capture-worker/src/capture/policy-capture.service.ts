import { Injectable } from '@nestjs/common';
import { SafeErrorCode, type CapturedReferences, type SafeError } from '@policyvault/contracts';
import { GraphError, getPolicyTypeContract, readSnapshotsOfTypes, type GraphClient, type PolicySnapshot, type SnapshotResult } from '@policyvault/graph';
import { graphFailure, itemFailure, type Job } from '@policyvault/worker-runtime';
import type { PolicyEntity } from '../store/policy.entity.js';
import { PoliciesRepository } from '../store/policies.repository.js';
import { PolicyVersionsRepository, type RecordedVersion } from '../store/policy-versions.repository.js';
import { SecretOmaSettings, type SealedObject } from './secret-oma-settings.js';
import type { ReferenceNameReader } from './reference-names.js';
import { SettingDefinitionCapture } from '../documentation/setting-definition-capture.js';
import { CaptureQueue } from './capture-queue.js';

/** Policies read per chunk, of any types (their sub-requests go out in `$batch`es of 20). */
export const POLICIES_PER_READ = 40;
/**
 * Chunks read at once per run: the tenant's pacer decides the actual rate; two keep it fed. More gain nothing and end
 * worse: the pacer spreads every chunk in flight over the run, so they all come back at its end and are stored
 * together while the run holds its slot (fleet bench, 2026-12-05, medians per run: 0.58–0.96 s from the last Graph
 * answer to the run's end with 4 in flight, 0.20–0.27 s with 2; BENCHMARKS.md).
 */
export const READS_IN_FLIGHT = 2;

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
 * Captures policies into immutable versions: reads them through `$batch` (up to POLICIES_PER_READ policies of any
 * types per chunk, sub-resources included), stores each snapshot unless identical content is stored already (a
 * chunk's snapshots in one statement), and hands a chunk's results to `onResults` as soon as it is stored, so the run
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
   * A run's capture as its selection arrives: targets added to the queue are read in chunks (`CaptureQueue`), at most
   * READS_IN_FLIGHT at once. A cancel starts no new chunk.
   * @param options.referenceNames when given (backup sets), each result carries the display names of what the
   *   snapshot references, read through this run's reader.
   */
  queue(job: Job, onResults: CaptureResults, { referenceNames }: { referenceNames?: ReferenceNameReader } = {}): CaptureQueue<CaptureTarget> {
    return new CaptureQueue<CaptureTarget>(
      async (chunk, sequence) => {
        // Checked once the read may start: a cancel starts no new read.
        await job.checkpoint();
        // Chunks read in order: an older chunk's requests go first, later ones fill the tenant's idle moments; the
        // run's listings and reference names (priority 0) go before any chunk's.
        await this.captureChunk(job, job.client.withPriority(1 + sequence), chunk, onResults, referenceNames);
      },
      { chunkSize: POLICIES_PER_READ, slots: READS_IN_FLIGHT },
    );
  }

  /** Captures the given targets (`queue` with all of them known at once). */
  async captureAll(job: Job, targets: CaptureTarget[], onResults: CaptureResults, options: { referenceNames?: ReferenceNameReader } = {}): Promise<void> {
    const queue = this.queue(job, onResults, options);
    queue.add(targets);
    await queue.finish();
  }

  private async captureChunk(job: Job, client: GraphClient, chunk: CaptureTarget[], onResults: CaptureResults, referenceNames?: ReferenceNameReader): Promise<void> {
    const outcomes: Array<CaptureResult | undefined> = new Array(chunk.length).fill(undefined);
    // The chunk's policies by type, each as positions in the chunk; a type the registry cannot capture fails alone.
    const byType = new Map<string, number[]>();
    chunk.forEach((target, index) => {
      const policyType = target.policy.policyType;
      if (!getPolicyTypeContract(policyType).supported) outcomes[index] = { kind: 'unsupported', target, error: unsupportedTypeError(policyType) };
      else byType.set(policyType, [...(byType.get(policyType) ?? []), index]);
    });
    const groups = [...byType].map(([policyType, positions]) => ({ policyType, positions }));
    const readResults = await this.readChunk(job, client, chunk, groups, referenceNames);
    if ('failed' in readResults) {
      for (const { positions } of groups) for (const index of positions) outcomes[index] = { kind: 'failed', target: chunk[index], error: readResults.failed(chunk[index].policy.policyType) };
      return onResults(outcomes.filter((outcome) => outcome !== undefined));
    }
    const { tenantId, runId } = job.command;
    const toRecord: { index: number; target: CaptureTarget; snapshot: Record<string, unknown>; displayName: string }[] = [];
    for (const { index, read, sealed } of readResults.read) {
      const target = chunk[index];
      if (read === undefined) {
        outcomes[index] = { kind: 'unsupported', target, error: unsupportedTypeError(target.policy.policyType) };
        continue;
      }
      if (!read.ok) {
        const error = itemFailure(read.error, target.policy.policyType);
        if (error.code === SafeErrorCode.GraphNotFound) await this.policies.markMissing(tenantId, target.policy.id, new Date());
        outcomes[index] = { kind: 'failed', target, error };
        continue;
      }
      if (!sealed.ok) {
        outcomes[index] = { kind: 'failed', target, error: sealed.error };
        continue;
      }
      toRecord.push({ index, target, snapshot: sealed.object, displayName: read.snapshot.displayName || target.policy.displayName });
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
      outcomes[index] = { kind: 'captured', target, displayName, version, references: readResults.references.get(index) ?? {} };
    });
    await onResults(outcomes.filter((outcome) => outcome !== undefined));
  }

  /**
   * Reads a chunk's supported policies in one `readSnapshotsOfTypes`, seals their secret values and stores the setting
   * definitions they use; then the names of what they reference. Each read policy comes back with its position in the
   * chunk (`read` undefined: Graph's contract says the type cannot be read). A whole call failing fails them all:
   * `failed` gives each type's error.
   */
  private async readChunk(
    job: Job,
    client: GraphClient,
    chunk: CaptureTarget[],
    groups: Array<{ policyType: string; positions: number[] }>,
    referenceNames?: ReferenceNameReader,
  ): Promise<
    | { read: Array<{ index: number; read: SnapshotResult | undefined; sealed: SealedObject }>; references: Map<number, CapturedReferences> }
    | { failed: (policyType: string) => SafeError }
  > {
    if (groups.length === 0) return { read: [], references: new Map() };
    const objectOf = (result: SnapshotResult | undefined): PolicySnapshot['object'] => (result?.ok ? result.snapshot.object : {});
    const read: Array<{ index: number; read: SnapshotResult | undefined; sealed: SealedObject }> = [];
    try {
      // A policy never captured before most likely uses definitions this tenant has not stored: the settings are read
      // with them (`$expand`) instead of a request per definition afterwards.
      const definitions = chunk.some((target) => target.policy.latestVersionId === null);
      const results = await readSnapshotsOfTypes(
        client,
        groups.map(({ policyType, positions }) => ({ type: policyType, objects: positions.map((index) => chunk[index].listed ?? chunk[index].policy.graphId) })),
        { definitions },
      );
      const brought: Array<Record<string, unknown>> = [];
      for (const [groupIndex, { policyType, positions }] of groups.entries()) {
        const result = results[groupIndex];
        const snapshots = result.supported ? result.results : [];
        // Secret values replaced by envelopes before anything is stored (their plaintext read by reference).
        const sealed = result.supported ? await this.secrets.seal(client, policyType, snapshots.map(objectOf)) : [];
        if (result.supported) brought.push(...(result.definitions ?? []));
        positions.forEach((index, position) => read.push({ index, read: snapshots[position], sealed: sealed[position] ?? { ok: true, object: {} } }));
      }
      // Settings catalog definitions for the as-built documentation, stored apart from the snapshots.
      await this.definitions.capture(client, job.command.tenantId, read.map((entry) => objectOf(entry.read)), brought);
      const names = referenceNames ? await referenceNames.namesFor(read.map((entry) => objectOf(entry.read))) : [];
      return { read, references: new Map(read.map((entry, position) => [entry.index, names[position] ?? {}])) };
    } catch (error) {
      // One object answering 5xx fails only its own item (libs/graph turns it into a per-item error).
      // A whole call failing transiently means every sub-request failed through every retry: the
      // chunk's items fail; a tenant that is down opens its breaker and TenantUnavailable postpones.
      // Anything else that waiting may help postpones the run (graphFailure throws); the rest fails the items.
      if (!isTransientFailure(error)) graphFailure(error, job.retryDelayMs);
      return { failed: (policyType) => (error as GraphError).toSafeError(policyType) };
    }
  }
}

/** A transient Graph failure of a whole call that is not the tenant's breaker being open. */
function isTransientFailure(error: unknown): boolean {
  return error instanceof GraphError && error.transient && error.code !== SafeErrorCode.TenantUnavailable;
}

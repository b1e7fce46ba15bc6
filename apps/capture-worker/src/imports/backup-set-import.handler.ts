import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { RunItemStatus, RunType, SafeErrorCode, type BackupSetImportTarget, type EmptyScope, type RunCommand, type SafeError } from '@policyvault/contracts';
import { CommandHandler, ImportUploads, type CommandContext, type HandlerOutcome, type RunCommandHandler } from '@policyvault/platform';
import { JobRunner, RunCanceled, type Job } from '@policyvault/worker-runtime';
import { CaptureWorkerConfig } from '../capture-worker.config.js';
import type { BackupSetEntity } from '../store/backup-set.entity.js';
import { BackupSetsRepository, type FinishedSetStatus } from '../store/backup-sets.repository.js';
import { PolicyVersionsRepository } from '../store/policy-versions.repository.js';
import { ArchiveRejected, inspectArchive, readArchiveFiles, type ImportLimits } from './import-archive.js';
import { decodeFile, importFileKind } from './import-decoding.js';
import { manifestFiles, placeFile, type ManifestFile, type PlacedObject } from './import-placement.js';
import { ImportedPoliciesRepository } from './imported-policies.repository.js';
import { ImportedSecrets } from './imported-secrets.js';

const MANIFEST_PATH = 'manifest.json';
/** Objects stored (and reported) at once: overlaps the database's and the event stream's round trips, as capture does. */
const STORES_IN_FLIGHT = 8;

/** The run item of one object of an imported file: keyed by its path (and position in a collection), the same on a redelivery. */
export function importItemKey(path: string, index: number | undefined): string {
  const digest = createHash('sha256').update(path).digest('hex').slice(0, 32);
  return index === undefined ? `file:${digest}` : `file:${digest}:${index}`;
}

/** A file name for an item's error context: its last 200 characters (the part that names it). */
const fileNameContext = (path: string) => (path.length > 200 ? path.slice(-200) : path);

/** An object without a Graph id (IntuneCD leaves ids out) gets one derived from where it was: the same on every import of that archive. */
const importedGraphId = (policyType: string, path: string, index: number | undefined) =>
  `imported-${createHash('sha256').update(`${policyType}\n${path}\n${index ?? ''}`).digest('hex').slice(0, 32)}`;

/**
 * `backup_set.import` (issue 15): an uploaded archive (IntuneManagement, IntuneCD JSON/YAML, Graph Explorer
 * responses, or PolicyVault's own export) becomes a backup set with one item per object. The archive is
 * streamed from the imports bucket into a temporary file and checked as a whole from its central directory
 * (ImportLimits): a refused archive fails the run and writes nothing. Then each JSON/YAML file is read on its own
 * (bounded), placed (import-placement.ts) and stored through the backup store's repositories like a capture
 * (same content hash); a file that cannot be read or placed is a failed item naming the file and what was wrong.
 * Redelivery: the set is keyed by the run, versions by content, items by (set, policy), run items by file path:
 * a second delivery finishes the first one's work. The upload is deleted once the run has its end.
 */
@Injectable()
@CommandHandler(RunType.BackupSetImport)
export class BackupSetImportHandler implements RunCommandHandler {
  private readonly limits: ImportLimits;

  constructor(
    private readonly jobs: JobRunner,
    private readonly uploads: ImportUploads,
    private readonly sets: BackupSetsRepository,
    private readonly policies: ImportedPoliciesRepository,
    private readonly versions: PolicyVersionsRepository,
    private readonly secrets: ImportedSecrets,
    config: CaptureWorkerConfig,
  ) {
    this.limits = {
      maxArchiveBytes: config.IMPORT_MAX_ARCHIVE_BYTES,
      maxEntries: config.IMPORT_MAX_ENTRIES,
      maxTotalUncompressedBytes: config.IMPORT_MAX_UNCOMPRESSED_BYTES,
      maxFileBytes: config.IMPORT_MAX_FILE_BYTES,
      maxCompressionRatio: config.IMPORT_MAX_COMPRESSION_RATIO,
      maxDepth: config.IMPORT_MAX_DEPTH,
    };
  }

  handle(command: RunCommand, context: CommandContext): Promise<HandlerOutcome> {
    return this.jobs.run<BackupSetImportTarget, EmptyScope>(command, context, async (job) => {
      const folder = await mkdtemp(join(tmpdir(), 'pv-import-'));
      try {
        await this.importArchive(job, join(folder, 'upload.zip'));
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });
  }

  private async importArchive(job: Job<BackupSetImportTarget, EmptyScope>, file: string): Promise<void> {
    const { command, progress, target } = job;
    if (!(await this.uploads.download(command.tenantId, target.uploadId, file))) {
      return progress.fail({ code: SafeErrorCode.ImportUploadMissing, message: 'The uploaded archive is no longer there (expired or already deleted); upload it again.' });
    }
    try {
      await inspectArchive(file, this.limits);
    } catch (error) {
      if (!(error instanceof ArchiveRejected)) throw error;
      await progress.fail({ code: SafeErrorCode.ImportArchiveRejected, message: `The archive was refused: ${error.reason}. Nothing was imported.` });
      await this.uploads.delete(command.tenantId, target.uploadId);
      return;
    }
    const set = await this.sets.createForRun(command.tenantId, command.runId, target.name, false);
    const manifest = await this.readManifest(file);
    const counts = { files: 0, ignoredFiles: 0 };
    job.onCanceled(() => this.summary(job, set, counts));
    let canceled: RunCanceled | undefined;
    try {
      await this.importFiles(job, set, file, manifest, counts);
    } catch (error) {
      if (!(error instanceof RunCanceled)) throw error;
      canceled = error;
    }
    await progress.started(progress.itemCount);
    const failed = progress.count(RunItemStatus.Failed);
    const succeeded = progress.count(RunItemStatus.Succeeded);
    const status: FinishedSetStatus = canceled ? (succeeded > 0 || failed === 0 ? 'partial' : 'failed') : failed === 0 ? 'complete' : succeeded > 0 ? 'partial' : 'failed';
    await this.sets.finish(command.tenantId, set.id, status);
    if (canceled) throw canceled;
    await progress.finish(this.summary(job, set, counts));
    await this.uploads.delete(command.tenantId, target.uploadId);
  }

  private summary(job: Job, set: BackupSetEntity, counts: { files: number; ignoredFiles: number }): Record<string, unknown> {
    return { backupSetId: set.id, imported: job.progress.countOutcome('imported'), files: counts.files, ignoredFiles: counts.ignoredFiles };
  }

  /** PolicyVault's own export names each file's type, Graph id and name in its manifest: read it first. */
  private async readManifest(file: string): Promise<Map<string, ManifestFile> | undefined> {
    for await (const entry of readArchiveFiles(file, this.limits, (path) => path === MANIFEST_PATH)) {
      if (!entry.ok) return undefined;
      const decoded = decodeFile(entry.bytes, 'json');
      return decoded.ok ? manifestFiles(decoded.value) : undefined;
    }
    return undefined;
  }

  private async importFiles(job: Job, set: BackupSetEntity, file: string, manifest: Map<string, ManifestFile> | undefined, counts: { files: number; ignoredFiles: number }): Promise<void> {
    const { progress } = job;
    const claimed = new Set<string>();
    const pending = new Set<Promise<void>>();
    // Reading stays sequential (one file's bytes at a time); storing overlaps up to STORES_IN_FLIGHT objects.
    const enqueue = async (task: () => Promise<void>) => {
      while (pending.size >= STORES_IN_FLIGHT) await Promise.race(pending);
      const promise: Promise<void> = task().finally(() => pending.delete(promise));
      pending.add(promise);
    };
    const wanted = (path: string) => {
      if (manifest && path === MANIFEST_PATH) return false;
      if (importFileKind(path) !== undefined && !path.split('/').some((segment) => segment.startsWith('.') || segment === '__MACOSX')) return true;
      counts.ignoredFiles += 1;
      return false;
    };
    try {
      for await (const entry of readArchiveFiles(file, this.limits, wanted)) {
        await job.checkpoint();
        counts.files += 1;
        const fileError = (code: SafeErrorCode, message: string): SafeError => ({ code, message, context: { fileName: fileNameContext(entry.path) } });
        if (!entry.ok) {
          await progress.failed(importItemKey(entry.path, undefined), entry.path, fileError(SafeErrorCode.ImportFileUnreadable, `The file could not be read: ${entry.reason}.`));
          continue;
        }
        const decoded = decodeFile(entry.bytes, importFileKind(entry.path)!);
        if (!decoded.ok) {
          await progress.failed(importItemKey(entry.path, undefined), entry.path, fileError(SafeErrorCode.ImportFileUnreadable, decoded.reason));
          continue;
        }
        const placements = placeFile(entry.path, decoded.value, manifest);
        if (placements.length === 0) {
          await progress.skipped(importItemKey(entry.path, undefined), entry.path, 'empty', fileError(SafeErrorCode.ImportFileUnplaced, 'The file holds an empty collection.'));
        }
        for (const placement of placements) {
          const key = importItemKey(entry.path, placement.kind === 'placed' ? placement.placed.index : placement.index);
          const label = placement.kind === 'placed' && placement.placed.index !== undefined ? `${entry.path} [${placement.placed.index}]` : entry.path;
          if (placement.kind === 'unsupported') await progress.skipped(key, label, 'unsupported', fileError(SafeErrorCode.UnsupportedPolicyType, placement.reason));
          else if (placement.kind === 'unplaced') await progress.failed(key, label, fileError(SafeErrorCode.ImportFileUnplaced, placement.reason));
          else {
            const { placed } = placement;
            const graphId = placed.graphId ?? importedGraphId(placed.policyType, entry.path, placed.index);
            // Claimed in archive order before any await: the first file holding an object wins, on every delivery.
            const identity = `${placed.policyType}\n${graphId}`;
            if (claimed.has(identity)) {
              await progress.failed(key, label, fileError(SafeErrorCode.ImportFileUnplaced, 'Another file of the archive holds the same object (same type and id); the first one was imported.'));
              continue;
            }
            claimed.add(identity);
            await enqueue(() => this.store(job, set, entry.path, key, label, placed, graphId, fileError));
          }
        }
      }
      await Promise.all(pending);
    } finally {
      await Promise.allSettled(pending);
    }
  }

  private async store(
    job: Job,
    set: BackupSetEntity,
    path: string,
    key: string,
    label: string,
    placed: PlacedObject,
    graphId: string,
    fileError: (code: SafeErrorCode, message: string) => SafeError,
  ): Promise<void> {
    const { command, progress } = job;
    const checked = this.secrets.check(placed.object);
    if (!checked.ok) return progress.failed(key, label, { ...checked.error, context: fileError(checked.error.code, checked.error.message).context });
    const policy = await this.policies.ensure(command.tenantId, placed.policyType, graphId, placed.displayName, new Date());
    const version = await this.versions.record(command.tenantId, policy.id, checked.object, placed.displayName, command.runId);
    if (!version) throw new Error('the imported policy is not in this tenant');
    const added = await this.sets.addItem(command.tenantId, {
      backupSetId: set.id,
      policyId: policy.id,
      policyVersionId: version.versionId,
      isFoundation: placed.isFoundation,
      referenceNames: {},
      runId: command.runId,
    });
    if (added.addedByRunId !== command.runId) return progress.skipped(key, label, 'already_in_set');
    await progress.succeeded(key, placed.displayName, 'imported', {
      file: path.length > 500 ? path.slice(-500) : path,
      policyId: policy.id,
      policyType: placed.policyType,
      graphId,
      versionId: version.versionId,
      versionOutcome: version.outcome,
      contentHash: version.contentHash,
      backupItemId: added.backupItemId,
    });
  }
}

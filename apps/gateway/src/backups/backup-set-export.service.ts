import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import { Zip, ZipDeflate } from 'fflate';
import { OMITTED_SECRET_VALUE, type BackupExportSecretMode, type BackupSetView, type ExportedBackupItem, type Page } from '@policyvault/contracts';
import { openRaw, type StreamResponse } from '../common/http-response.js';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { BackupStoreClient } from './backup-store.client.js';
import { ExportPathAllocator, attachmentDisposition, exportArchiveName, exportFolder } from './export-layout.js';

/** Items per request to the backup store; the store also ends a page at its snapshot byte budget. */
const EXPORT_PAGE_SIZE = 100;
const MANIFEST_PATH = 'manifest.json';

/** One file of the archive as the manifest lists it. */
export interface ExportManifestFile {
  path: string;
  policyType: string;
  odataType: string | null;
  graphId: string;
  displayName: string;
  isFoundation: boolean;
  policyVersionId: string;
  /** The version's content hash as the backup store recorded it. */
  contentHash: string;
}

/** `manifest.json` at the archive's root. */
export interface ExportManifest {
  format: 'policyvault.backup-set-export';
  formatVersion: 1;
  layout: 'IntuneManagement';
  backupSet: { id: string; name: string; status: string; createdAt: string; completedAt: string | null; itemCount: number };
  tenant: { id: string; displayName: string };
  exportedAt: string;
  /** Every secret value of the archive: its file and JSON path there (left out or encrypted, as `mode` says). */
  secrets: { mode: BackupExportSecretMode; description: string; values: Array<{ path: string; jsonPath: string }> };
  types: Record<string, { count: number }>;
  files: ExportManifestFile[];
}

const SECRET_MODE_DESCRIPTIONS: Record<BackupExportSecretMode, string> = {
  omit: `Secret values are left out: each is ${JSON.stringify(OMITTED_SECRET_VALUE)}.`,
  encrypted:
    'Secret values are the stored envelopes ({"policyVaultSecret": {keyId, wrappedKey, ciphertext, digest, …}}, AES-256-GCM); ' +
    'only a PolicyVault holding the key-encryption key named by keyId can open them.',
};

/**
 * Streams a backup set as a zip in IntuneManagement's layout (`<Folder>/<name>.json` per item, the
 * version's snapshot with its assignments) plus `manifest.json`. Pages of items come from the backup
 * store one at a time and each file is deflated as it is added, so memory holds one page and the manifest's
 * rows, never the archive; the response's backpressure paces the paging.
 */
@Injectable()
export class BackupSetExportService {
  private readonly logger = new Logger('BackupSetExport');

  constructor(private readonly backupStore: BackupStoreClient) {}

  async export(access: TenantAccess, backupSetId: string, secrets: BackupExportSecretMode, reply: StreamResponse): Promise<void> {
    const { tenantId } = access;
    const set = await this.backupStore.getBackupSet({ tenantId, backupSetId });
    // A partial set exports what it holds (the manifest says `partial`); a capturing or failed one has nothing settled.
    if (set.status !== 'complete' && set.status !== 'partial') {
      throw new GatewayException(GatewayErrorCode.Conflict, `backup set is ${set.status}; only a complete or partial backup set can be exported`);
    }
    const nextPage = (cursor?: string) => this.backupStore.exportBackupItems({ tenantId, backupSetId, secrets, limit: EXPORT_PAGE_SIZE, cursor });
    // The first page before any byte is sent: until then every failure is an ordinary HTTP error answer.
    let page: Page<ExportedBackupItem> | null = await nextPage();
    const exportedAt = new Date();
    const response = openRaw(reply);
    response.statusCode = 200;
    response.setHeader('content-type', 'application/zip');
    response.setHeader('content-disposition', attachmentDisposition(exportArchiveName(set.name, set.createdAt)));
    response.setHeader('cache-control', 'no-store');

    const archive = new ZipWriter(response, exportedAt);
    const manifest = newManifest(set, access, secrets, exportedAt);
    const paths = new ExportPathAllocator([MANIFEST_PATH]);
    try {
      while (page && !response.destroyed) {
        for (const item of page.items) {
          const path = paths.allocate(exportFolder(item.policyType, item.odataType, item.snapshot), item.displayName, item.graphId);
          archive.add(path, `${JSON.stringify(item.snapshot, null, 2)}\n`);
          addToManifest(manifest, path, item);
          await archive.drained();
        }
        page = page.nextCursor ? await nextPage(page.nextCursor) : null;
      }
      if (response.destroyed) return;
      archive.add(MANIFEST_PATH, `${JSON.stringify(manifest, null, 2)}\n`);
      archive.end();
    } catch (error) {
      // Headers are gone: the only honest answer left is a broken download (a zip without its directory).
      this.logger.warn({ tenantId, backupSetId, err: { name: (error as Error).name, message: (error as Error).message } }, 'backup set export aborted');
      response.destroy();
    }
  }
}

function newManifest(set: BackupSetView, access: TenantAccess, mode: BackupExportSecretMode, exportedAt: Date): ExportManifest {
  return {
    format: 'policyvault.backup-set-export',
    formatVersion: 1,
    layout: 'IntuneManagement',
    backupSet: { id: set.id, name: set.name, status: set.status, createdAt: set.createdAt, completedAt: set.completedAt, itemCount: set.itemCount },
    tenant: { id: access.tenantId, displayName: access.displayName },
    exportedAt: exportedAt.toISOString(),
    secrets: { mode, description: SECRET_MODE_DESCRIPTIONS[mode], values: [] },
    types: {},
    files: [],
  };
}

function addToManifest(manifest: ExportManifest, path: string, item: ExportedBackupItem): void {
  manifest.types[item.policyType] = { count: (manifest.types[item.policyType]?.count ?? 0) + 1 };
  manifest.files.push({
    path,
    policyType: item.policyType,
    odataType: item.odataType,
    graphId: item.graphId,
    displayName: item.displayName,
    isFoundation: item.isFoundation,
    policyVersionId: item.policyVersionId,
    contentHash: item.contentHash,
  });
  for (const jsonPath of item.secretPaths) manifest.secrets.values.push({ path, jsonPath });
}

/** fflate's streaming zip written into the HTTP response, waiting for the socket when it is full. */
class ZipWriter {
  private readonly zip: Zip;
  private failure: Error | null = null;

  constructor(
    private readonly response: ServerResponse,
    private readonly modified: Date,
  ) {
    this.zip = new Zip((error, chunk, final) => {
      if (error) {
        this.failure = error;
        return;
      }
      if (!response.destroyed) response.write(chunk);
      if (final) response.end();
    });
  }

  add(path: string, text: string): void {
    const file = new ZipDeflate(path, { level: 6 });
    file.mtime = this.modified;
    this.zip.add(file);
    file.push(Buffer.from(text, 'utf8'), true);
    if (this.failure) throw this.failure;
  }

  end(): void {
    this.zip.end();
    if (this.failure) throw this.failure;
  }

  /** Resolves once the response can take more (at once when it can), or when the client has gone. */
  async drained(): Promise<void> {
    if (!this.response.writableNeedDrain || this.response.destroyed) return;
    const settled = new AbortController();
    const { signal } = settled;
    try {
      await Promise.race([once(this.response, 'drain', { signal }), once(this.response, 'close', { signal })]);
    } finally {
      settled.abort(); // the other listener goes too
    }
  }
}

import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { firstValueFrom, timeout } from 'rxjs';
import { BackupStoreRpc, MAX_PAGE_SIZE, RpcErrorCode, type BackupItemView, type BackupSetView, type Page } from '@policyvault/contracts';
import { NamespacedNatsClient } from '@policyvault/platform';
import { RestoreWorkerConfig } from '../restore-worker.config.js';

/** The backup store answered "not found" (the set is not in that tenant, or no longer exists). */
export class BackupStoreNotFound extends Error {
  constructor() {
    super('not found in the backup store');
    this.name = 'BackupStoreNotFound';
  }
}

/** The backup store did not answer (capture-worker down, timeout): postpone the run, do not fail it. */
export class BackupStoreUnavailable extends Error {
  constructor() {
    super('the backup store did not answer');
    this.name = 'BackupStoreUnavailable';
  }
}

/**
 * Reads backup sets and items from their owner, capture-worker, over BackupStoreRpc (request/reply,
 * tenant-scoped). The restore-worker never reads capture's tables.
 */
@Injectable()
export class BackupStoreClient implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly client: NamespacedNatsClient;

  constructor(private readonly config: RestoreWorkerConfig) {
    this.client = new NamespacedNatsClient(config.NATS_NAMESPACE, {
      servers: config.NATS_URL,
      name: 'restore-worker-backup-store',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.client.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }

  getBackupSet(tenantId: string, backupSetId: string): Promise<BackupSetView> {
    return this.request<BackupSetView>(BackupStoreRpc.getBackupSet, { tenantId, backupSetId });
  }

  /**
   * Every item of the set (or the selected ones), page by page as the store sizes them (pages with
   * snapshots stay under NATS's message size), so memory holds one page at a time.
   */
  async *items(
    tenantId: string,
    backupSetId: string,
    options: { backupItemIds?: string[]; includeSnapshots: boolean },
  ): AsyncGenerator<BackupItemView[]> {
    let cursor: string | null = null;
    do {
      const page: Page<BackupItemView> = await this.request<Page<BackupItemView>>(BackupStoreRpc.listBackupItems, {
        tenantId,
        backupSetId,
        ...(options.backupItemIds ? { backupItemIds: options.backupItemIds } : {}),
        includeSnapshots: options.includeSnapshots,
        limit: MAX_PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      });
      if (page.items.length > 0) yield page.items;
      cursor = page.nextCursor;
    } while (cursor);
  }

  private async request<T>(pattern: string, payload: object): Promise<T> {
    try {
      return await firstValueFrom(this.client.send<T>(pattern, payload).pipe(timeout({ first: this.config.BACKUP_STORE_TIMEOUT_MS })));
    } catch (error) {
      if ((error as { code?: unknown })?.code === RpcErrorCode.NotFound) throw new BackupStoreNotFound();
      throw new BackupStoreUnavailable();
    }
  }
}

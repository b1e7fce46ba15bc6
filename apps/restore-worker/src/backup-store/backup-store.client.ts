import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  BackupStoreRpc,
  MAX_PAGE_SIZE,
  RpcErrorCode,
  type BackupItemView,
  type BackupSetView,
  type BackupSetStatus,
  type GetBackupSetRequest,
  type GetLatestBackupSetRequest,
  type ListBackupItemsRequest,
  type Page,
} from '@policyvault/contracts';
import { NatsRequestClient, natsAuthOptions, rpcEndpoint, type RpcEndpoint, type RpcException } from '@policyvault/platform';
import { RestoreWorkerConfig } from '../restore-worker.config.js';

/** The backup store answered "not found" or "another tenant's" (the set is not in that tenant, or no longer exists). */
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

const getBackupSet = rpcEndpoint<GetBackupSetRequest, BackupSetView>(BackupStoreRpc.getBackupSet);
const getLatestBackupSet = rpcEndpoint<GetLatestBackupSetRequest, { backupSet: BackupSetView | null }>(BackupStoreRpc.getLatestBackupSet);
const listBackupItems = rpcEndpoint<ListBackupItemsRequest, Page<BackupItemView>>(BackupStoreRpc.listBackupItems);

/**
 * Reads backup sets and items from their owner, capture-worker, over BackupStoreRpc (request/reply,
 * tenant-scoped). The restore-worker never reads capture's tables.
 */
@Injectable()
export class BackupStoreClient implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly client: NatsRequestClient;

  constructor(private readonly config: RestoreWorkerConfig) {
    this.client = new NatsRequestClient({ namespace: config.NATS_NAMESPACE, servers: config.NATS_URL, name: 'restore-worker-backup-store', ...natsAuthOptions(config) });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.client.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }

  getBackupSet(tenantId: string, backupSetId: string): Promise<BackupSetView> {
    return this.request(getBackupSet, { tenantId, backupSetId });
  }

  /** The tenant's newest set in one of `statuses`, or null (a drift check's default baseline). */
  async getLatestBackupSet(tenantId: string, statuses: BackupSetStatus[]): Promise<BackupSetView | null> {
    return (await this.request(getLatestBackupSet, { tenantId, statuses })).backupSet;
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
      const page: Page<BackupItemView> = await this.request(listBackupItems, {
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

  /** "Not found" ends the run; every other failure (silence included) postpones it. */
  private async request<Request extends object, Reply>(endpoint: RpcEndpoint<Request, Reply>, payload: Request): Promise<Reply> {
    try {
      return await this.client.request(endpoint, payload, { timeoutMs: this.config.BACKUP_STORE_TIMEOUT_MS });
    } catch (error) {
      const { code } = error as RpcException;
      if (code === RpcErrorCode.NotFound || code === RpcErrorCode.OtherTenant) throw new BackupStoreNotFound();
      throw new BackupStoreUnavailable();
    }
  }
}

import { RpcErrorCode } from '@policyvault/contracts';
import { RpcException } from '@policyvault/platform';
import type { RestoreWorkerConfig } from '../restore-worker.config.js';
import { BackupStoreClient, BackupStoreNotFound, BackupStoreUnavailable } from './backup-store.client.js';

/** A client whose request/reply connection fails every request with `failure` (no NATS needed). */
function storeFailingWith(failure: RpcException): BackupStoreClient {
  const store = new BackupStoreClient({ NATS_NAMESPACE: 'unit', NATS_URL: 'nats://127.0.0.1:1', BACKUP_STORE_TIMEOUT_MS: 50 } as RestoreWorkerConfig);
  (store as unknown as { client: { request: () => Promise<never> } }).client = { request: () => Promise.reject(failure) };
  return store;
}

describe('BackupStoreClient', () => {
  it("ends the run for a set that is not in the tenant, whether it exists nowhere or in another tenant; postpones on silence", async () => {
    await expect(storeFailingWith(RpcException.notFound('backup set')).getBackupSet('t', 's')).rejects.toBeInstanceOf(BackupStoreNotFound);
    await expect(storeFailingWith(RpcException.notFoundOrOtherTenant('backup set', 'other', 't')).getBackupSet('t', 's')).rejects.toBeInstanceOf(BackupStoreNotFound);
    await expect(storeFailingWith(new RpcException(RpcErrorCode.Unavailable, 'x', 'timeout')).getBackupSet('t', 's')).rejects.toBeInstanceOf(BackupStoreUnavailable);
  });
});

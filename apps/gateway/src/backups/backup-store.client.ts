import { Injectable } from '@nestjs/common';
import {
  BackupStoreRpc,
  type BackupItemView,
  type BackupSetView,
  type ComparePolicyVersionsRequest,
  type DocumentBackupItemsRequest,
  type DocumentationPage,
  type ExportBackupItemsRequest,
  type ExportedBackupItem,
  type GetBackupSetRequest,
  type GetPolicyRequest,
  type GetPolicyVersionRequest,
  type ListBackupItemsRequest,
  type ListBackupSetsRequest,
  type ListPoliciesRequest,
  type ListPolicyVersionsRequest,
  type Page,
  type PolicyVersionComparison,
  type PolicyVersionSummary,
  type PolicyVersionView,
  type PolicyView,
} from '@policyvault/contracts';
import { GatewayConfig } from '../gateway.config.js';
import { NatsRpcClient, type RpcService } from '../rpc/nats-rpc.client.js';

/** The gateway never asks for snapshots in item lists (a set may hold thousands): an export pages through exportBackupItems. */
export type ListBackupItemsWithoutSnapshots = Omit<ListBackupItemsRequest, 'includeSnapshots' | 'backupItemIds'>;

/** The backup store's read API, served by capture-worker (BackupStoreRpc, queue group "capture-worker"). */
@Injectable()
export class BackupStoreClient {
  private readonly service: RpcService;

  constructor(
    private readonly rpc: NatsRpcClient,
    config: GatewayConfig,
  ) {
    this.service = { name: 'capture-worker', timeoutMs: config.BACKUP_STORE_TIMEOUT_MS };
  }

  listPolicies(request: ListPoliciesRequest): Promise<Page<PolicyView>> {
    return this.rpc.request(this.service, { pattern: BackupStoreRpc.listPolicies, payload: request });
  }

  getPolicy(request: GetPolicyRequest): Promise<PolicyView> {
    return this.rpc.request(this.service, { pattern: BackupStoreRpc.getPolicy, payload: request, notFound: 'policy not found in this tenant' });
  }

  listPolicyVersions(request: ListPolicyVersionsRequest): Promise<Page<PolicyVersionSummary>> {
    return this.rpc.request(this.service, {
      pattern: BackupStoreRpc.listPolicyVersions,
      payload: request,
      notFound: 'policy not found in this tenant',
    });
  }

  getPolicyVersion(request: GetPolicyVersionRequest): Promise<PolicyVersionView> {
    return this.rpc.request(this.service, {
      pattern: BackupStoreRpc.getPolicyVersion,
      payload: request,
      notFound: 'policy version not found in this tenant',
    });
  }

  comparePolicyVersions(request: ComparePolicyVersionsRequest): Promise<PolicyVersionComparison> {
    return this.rpc.request(this.service, {
      pattern: BackupStoreRpc.comparePolicyVersions,
      payload: request,
      notFound: 'policy or policy version not found in this tenant',
    });
  }

  listBackupSets(request: ListBackupSetsRequest): Promise<Page<BackupSetView>> {
    return this.rpc.request(this.service, { pattern: BackupStoreRpc.listBackupSets, payload: request });
  }

  getBackupSet(request: GetBackupSetRequest): Promise<BackupSetView> {
    return this.rpc.request(this.service, {
      pattern: BackupStoreRpc.getBackupSet,
      payload: request,
      notFound: 'backup set not found in this tenant',
    });
  }

  listBackupItems(request: ListBackupItemsWithoutSnapshots): Promise<Page<BackupItemView>> {
    return this.rpc.request(this.service, {
      pattern: BackupStoreRpc.listBackupItems,
      payload: request,
      notFound: 'backup set not found in this tenant',
    });
  }

  /** A page of a set's items for its as-built report (by type and name, secret values masked, with their setting definitions). */
  documentBackupItems(request: DocumentBackupItemsRequest): Promise<DocumentationPage> {
    return this.rpc.request(this.service, {
      pattern: BackupStoreRpc.documentBackupItems,
      payload: request,
      notFound: 'backup set not found in this tenant',
    });
  }

  /** A page of a set's items with whole snapshots, for the zip export (secret values left out or encrypted, never plaintext). */
  exportBackupItems(request: ExportBackupItemsRequest): Promise<Page<ExportedBackupItem>> {
    return this.rpc.request(this.service, {
      pattern: BackupStoreRpc.exportBackupItems,
      payload: request,
      notFound: 'backup set not found in this tenant',
    });
  }
}

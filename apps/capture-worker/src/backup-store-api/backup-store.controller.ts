import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  BackupStoreRpc,
  ComparePolicyVersionsRequest,
  ExportBackupItemsRequest,
  GetBackupSetRequest,
  GetLatestBackupSetRequest,
  GetPolicyRequest,
  GetPolicyVersionRequest,
  ListBackupItemsRequest,
  ListBackupSetsRequest,
  ListPoliciesRequest,
  ListPolicyVersionsRequest,
  type BackupItemView,
  type BackupSetView,
  type ExportedBackupItem,
  type Page,
  type PolicyVersionComparison,
  type PolicyVersionSummary,
  type PolicyVersionView,
  type PolicyView,
} from '@policyvault/contracts';
import { RpcErrorReplyFilter, parseRpcPayload } from '@policyvault/platform';
import { BackupStoreQueriesService } from './backup-store-queries.service.js';
import { PolicyVersionCompareService } from './policy-version-compare.service.js';

/**
 * The backup store's read API on core NATS (queue group "capture-worker": replicas share it). The
 * store's only writer answers for it, so nobody else needs access to its tables.
 */
@Controller()
@UseFilters(RpcErrorReplyFilter)
export class BackupStoreController {
  constructor(
    private readonly queries: BackupStoreQueriesService,
    private readonly versions: PolicyVersionCompareService,
  ) {}

  @MessagePattern(BackupStoreRpc.listPolicies)
  listPolicies(@Payload() payload: unknown): Promise<Page<PolicyView>> {
    return this.queries.listPolicies(parseRpcPayload(ListPoliciesRequest, payload));
  }

  @MessagePattern(BackupStoreRpc.getPolicy)
  getPolicy(@Payload() payload: unknown): Promise<PolicyView> {
    return this.queries.getPolicy(parseRpcPayload(GetPolicyRequest, payload));
  }

  @MessagePattern(BackupStoreRpc.listPolicyVersions)
  listPolicyVersions(@Payload() payload: unknown): Promise<Page<PolicyVersionSummary>> {
    return this.queries.listPolicyVersions(parseRpcPayload(ListPolicyVersionsRequest, payload));
  }

  @MessagePattern(BackupStoreRpc.getPolicyVersion)
  getPolicyVersion(@Payload() payload: unknown): Promise<PolicyVersionView> {
    return this.queries.getPolicyVersion(parseRpcPayload(GetPolicyVersionRequest, payload));
  }

  @MessagePattern(BackupStoreRpc.listBackupSets)
  listBackupSets(@Payload() payload: unknown): Promise<Page<BackupSetView>> {
    return this.queries.listBackupSets(parseRpcPayload(ListBackupSetsRequest, payload));
  }

  @MessagePattern(BackupStoreRpc.getBackupSet)
  getBackupSet(@Payload() payload: unknown): Promise<BackupSetView> {
    return this.queries.getBackupSet(parseRpcPayload(GetBackupSetRequest, payload));
  }

  @MessagePattern(BackupStoreRpc.listBackupItems)
  listBackupItems(@Payload() payload: unknown): Promise<Page<BackupItemView>> {
    return this.queries.listBackupItems(parseRpcPayload(ListBackupItemsRequest, payload));
  }

  @MessagePattern(BackupStoreRpc.exportBackupItems)
  exportBackupItems(@Payload() payload: unknown): Promise<Page<ExportedBackupItem>> {
    return this.queries.exportBackupItems(parseRpcPayload(ExportBackupItemsRequest, payload));
  }

  /** `null` when the tenant has no set in those statuses. */
  @MessagePattern(BackupStoreRpc.getLatestBackupSet)
  async getLatestBackupSet(@Payload() payload: unknown): Promise<{ backupSet: BackupSetView | null }> {
    return { backupSet: await this.queries.getLatestBackupSet(parseRpcPayload(GetLatestBackupSetRequest, payload)) };
  }

  @MessagePattern(BackupStoreRpc.comparePolicyVersions)
  comparePolicyVersions(@Payload() payload: unknown): Promise<PolicyVersionComparison> {
    return this.versions.compare(parseRpcPayload(ComparePolicyVersionsRequest, payload));
  }
}

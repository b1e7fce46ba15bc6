import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ComparePolicyVersionsRequest, PolicyVersionComparison } from '@policyvault/contracts';
import { compareDirectAssignments, compareObjects, compareSealedSecrets, getPolicyTypeContract } from '@policyvault/graph';
import { RpcException, owningTenant } from '@policyvault/platform';
import { PolicyVersionEntity } from '../store/policy-version.entity.js';
import { PolicyEntity } from '../store/policy.entity.js';
import { toPolicyVersionSummary } from './backup-store-view.mapper.js';

/**
 * Two stored versions of one policy compared exactly as a restore preview and a drift check compare
 * (the shared `compare/` module of libs/graph): normalized, order-free arrays in a stable order, direct
 * assignments as a set, secret values compared by key id and keyed digest without being opened and
 * shown only as `secret value` / `secret value, changed`.
 */
@Injectable()
export class PolicyVersionCompareService {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  async compare({ tenantId, policyId, fromVersionId, toVersionId }: ComparePolicyVersionsRequest): Promise<PolicyVersionComparison> {
    const policy = await this.database.getRepository(PolicyEntity).findOneBy({ id: policyId, tenantId });
    if (!policy) throw RpcException.notFoundOrOtherTenant('policy', await owningTenant(this.database.manager, PolicyEntity, { id: policyId }), tenantId);
    const versions = await this.database.getRepository(PolicyVersionEntity).findBy([
      { id: fromVersionId, tenantId, policyId },
      { id: toVersionId, tenantId, policyId },
    ]);
    const from = versions.find((version) => version.id === fromVersionId);
    const to = versions.find((version) => version.id === toVersionId);
    if (!from || !to) throw await this.missingVersion(tenantId, [from ? null : fromVersionId, to ? null : toVersionId]);
    const lookup = getPolicyTypeContract(policy.policyType);
    if (!lookup.supported) throw RpcException.validation([`policyType: "${lookup.type}" is not a supported policy type; its versions cannot be compared`]);
    const differences = [
      ...compareObjects(lookup.contract, to.snapshot, from.snapshot, compareSealedSecrets(from.snapshot, to.snapshot)),
      ...(lookup.contract.assignment ? compareDirectAssignments(to.snapshot, from.snapshot) : []),
    ];
    return { policyId, policyType: policy.policyType, from: toPolicyVersionSummary(from), to: toPolicyVersionSummary(to), differences };
  }

  /** `other_tenant` when a version not found here is held by another tenant; `not_found` for another policy's or nobody's. */
  private async missingVersion(tenantId: string, versionIds: (string | null)[]): Promise<RpcException> {
    for (const id of versionIds) {
      const owner = id === null ? null : await owningTenant(this.database.manager, PolicyVersionEntity, { id });
      if (owner !== null && owner !== tenantId) return RpcException.notFoundOrOtherTenant('policy version', owner, tenantId);
    }
    return RpcException.notFound('policy version');
  }
}

import { Injectable } from '@nestjs/common';
import { isTerminalRunStatus, RunType, type PolicyVersionComparison, type StartRunReply } from '@policyvault/contracts';
import { BackupStoreClient } from '../backups/backup-store.client.js';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { RunServiceClient } from '../runs/run-service.client.js';
import { requireRoleToStart, StartRunService } from '../runs/start-run.service.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { LIVE, RUN_PREFIX } from './version-compare.query.js';

/** `to=live`: the capture run that reads the live object, and where to ask for the diff once it has finished. */
export interface LiveComparisonStarted extends StartRunReply {
  compareWhenDone: string;
}

export type VersionCompareAnswer = { kind: 'compared'; comparison: PolicyVersionComparison } | { kind: 'started'; started: LiveComparisonStarted };

/** The run item a policy capture reports for its policy (capture-worker's `policyItemKey`). */
const policyItemKey = (policyId: string) => `policy:${policyId}`;

/**
 * Compares a stored version with another stored version, with the live object, or with the version a
 * capture run recorded. The live side is never read here: `live` starts (or reuses, by run-service's
 * de-duplication) a `policy.capture_snapshot` run through StartRunService, and `run:<runId>` turns that
 * run into the version it recorded, so the diff is always between two stored versions.
 */
@Injectable()
export class VersionCompareService {
  constructor(
    private readonly backupStore: BackupStoreClient,
    private readonly runService: RunServiceClient,
    private readonly startRun: StartRunService,
  ) {}

  async compare(access: TenantAccess, policyId: string, from: string, to: string): Promise<VersionCompareAnswer> {
    if (to === LIVE) return { kind: 'started', started: await this.startLiveCapture(access, policyId, from) };
    const toVersionId = to.startsWith(RUN_PREFIX) ? await this.versionCapturedByRun(access, policyId, to.slice(RUN_PREFIX.length)) : to;
    const comparison = await this.backupStore.comparePolicyVersions({ tenantId: access.tenantId, policyId, fromVersionId: from, toVersionId });
    return { kind: 'compared', comparison };
  }

  private async startLiveCapture(access: TenantAccess, policyId: string, from: string): Promise<LiveComparisonStarted> {
    // Who may capture, then a `from` that is not this policy's version, both before any Graph read.
    requireRoleToStart(access, RunType.PolicyCaptureSnapshot);
    const version = await this.backupStore.getPolicyVersion({ tenantId: access.tenantId, versionId: from });
    if (version.policyId !== policyId) throw new GatewayException(GatewayErrorCode.NotFound, 'policy version not found for this policy');
    const reply = await this.startRun.execute(access, { type: RunType.PolicyCaptureSnapshot, target: { policyId }, scope: {} });
    const query = new URLSearchParams({ from, to: `${RUN_PREFIX}${reply.run.id}` });
    return { ...reply, compareWhenDone: `/api/tenants/${access.tenantId}/policies/${policyId}/versions/compare?${query}` };
  }

  private async versionCapturedByRun(access: TenantAccess, policyId: string, runId: string): Promise<string> {
    const run = await this.runService.get({ tenantId: access.tenantId, runId });
    if (run.type !== RunType.PolicyCaptureSnapshot || run.target.policyId !== policyId) {
      throw new GatewayException(GatewayErrorCode.NotFound, 'no capture run of this policy with this id in this tenant');
    }
    if (!isTerminalRunStatus(run.status)) {
      throw new GatewayException(GatewayErrorCode.Conflict, `capture run ${runId} is ${run.status}; ask again when it has finished`);
    }
    const items = await this.runService.listItems({ tenantId: access.tenantId, runId, limit: 10 });
    const item = items.items.find((candidate) => candidate.itemKey === policyItemKey(policyId));
    const versionId = item?.result?.versionId;
    if (typeof versionId !== 'string') {
      const reason = item?.error?.message ?? `the run ended ${run.status}`;
      throw new GatewayException(GatewayErrorCode.RunProducedNothing, `capture run ${runId} recorded no version of this policy: ${reason}`);
    }
    return versionId;
  }
}

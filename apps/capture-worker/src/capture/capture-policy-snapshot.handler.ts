import { Injectable } from '@nestjs/common';
import { RunType, SafeErrorCode, type PolicyTarget, type RunCommand } from '@policyvault/contracts';
import { CommandHandler, type CommandContext, type HandlerOutcome, type RunCommandHandler } from '@policyvault/platform';
import { JobRunner } from '@policyvault/worker-runtime';
import { PoliciesRepository } from '../store/policies.repository.js';
import { PolicyVersionsRepository } from '../store/policy-versions.repository.js';
import { PolicyCaptureService } from './policy-capture.service.js';
import { policyItemKey, reportCaptureResults } from './report-capture.js';

/** US1: one policy of the inventory → a new immutable version, or "unchanged". One run item. */
@Injectable()
@CommandHandler(RunType.PolicyCaptureSnapshot)
export class CapturePolicySnapshotHandler implements RunCommandHandler {
  constructor(
    private readonly jobs: JobRunner,
    private readonly capture: PolicyCaptureService,
    private readonly policies: PoliciesRepository,
    private readonly versions: PolicyVersionsRepository,
  ) {}

  handle(command: RunCommand, context: CommandContext): Promise<HandlerOutcome> {
    return this.jobs.run<PolicyTarget>(command, context, async (job) => {
      const { progress, target } = job;
      await progress.started(1);
      const policy = await this.policies.find(command.tenantId, target.policyId);
      if (!policy) {
        await progress.failed(policyItemKey(target.policyId), undefined, {
          code: SafeErrorCode.NotFound,
          message: "The policy is not in this tenant's inventory.",
        });
        return progress.finish();
      }
      // A redelivery of a run that already stored its version reports it again without reading Graph.
      const earlier = await this.versions.findCapturedByRun(command.tenantId, policy.id, command.runId);
      if (earlier) {
        await progress.succeeded(policyItemKey(policy.id), policy.displayName, 'captured', {
          policyId: policy.id,
          policyType: policy.policyType,
          versionId: earlier.versionId,
          contentHash: earlier.contentHash,
        });
        return progress.finish();
      }
      await this.capture.captureAll(job, [{ policy }], (results) => reportCaptureResults(progress, results));
      await progress.finish();
    });
  }
}

import { Injectable } from '@nestjs/common';
import { RunItemStatus, RunType, type EmptyScope, type EmptyTarget, type RunCommand } from '@policyvault/contracts';
import { GraphError } from '@policyvault/graph';
import { CommandHandler, type CommandContext, type HandlerOutcome, type RunCommandHandler } from '@policyvault/platform';
import { JobRunner, PostponeRun, type Job } from '@policyvault/worker-runtime';
import { typeItemKey } from '../capture/report-capture.js';
import { assessAccess, judgeTokenFailure, missingPermissionsError, summaryWithoutToken } from './access-check.js';

/**
 * Deliveries a transient token failure (network, the authority's 5xx) is retried over before the tenant
 * counts as `unreachable` (with RETRY_DELAYS_MS' default 1 s, 2 s, 5 s, 10 s between them).
 */
export const ACCESS_CHECK_DELIVERIES = 5;

/**
 * `tenant.verify_access`: acquires a fresh app token for the tenant, reads the application permissions it
 * grants (`roles`) and compares them with what each supported policy type needs (libs/graph's registry).
 * One item per type (`type:<policyType>`: succeeded `ok`, or failed `missing_permissions` naming them);
 * the summary is the tenant's health (`TenantVerifyAccessSummary`). A token refused for missing consent or
 * an unknown tenant ends the run with that health and no items. The token is never logged or reported.
 */
@Injectable()
@CommandHandler(RunType.TenantVerifyAccess)
export class TenantVerifyAccessHandler implements RunCommandHandler {
  constructor(private readonly jobs: JobRunner) {}

  handle(command: RunCommand, context: CommandContext): Promise<HandlerOutcome> {
    return this.jobs.run<EmptyTarget, EmptyScope>(command, context, async (job) => {
      const granted = await this.grantedPermissions(job);
      if (granted === undefined) return;
      const { types, summary } = assessAccess(granted);
      await job.progress.started(types.length);
      for (const access of types) {
        const key = typeItemKey(access.policyType);
        if (access.missing.length === 0) {
          await job.progress.succeeded(key, access.displayName, 'ok', { policyType: access.policyType, permissions: access.needed });
        } else {
          await job.progress.item({
            itemKey: key,
            status: RunItemStatus.Failed,
            label: access.displayName,
            outcome: 'missing_permissions',
            error: missingPermissionsError(access),
            result: { policyType: access.policyType, permissions: access.needed, missingPermissions: access.missing },
          });
        }
      }
      job.log.info({ health: summary.health, missing: summary.missingPermissions.length }, 'access checked');
      await job.progress.finish({ ...summary });
    });
  }

  /** The token's permissions, or undefined once the run has been ended for a refused token. */
  private async grantedPermissions(job: Job<EmptyTarget, EmptyScope>): Promise<string[] | undefined> {
    try {
      return await job.client.grantedApplicationPermissions();
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      const verdict = judgeTokenFailure(error, job.deliveryCount < ACCESS_CHECK_DELIVERIES);
      // Codes only: the error never holds the token, the secret or the authority's text.
      job.log.info({ code: error.code, graphErrorCode: error.graphErrorCode, verdict: verdict.kind }, 'token request refused');
      switch (verdict.kind) {
        case 'retry':
          throw new PostponeRun(job.retryDelayMs, `token request failed (${error.code})`);
        case 'health':
          await job.progress.started(0);
          await job.progress.finish({ ...summaryWithoutToken(verdict.health) });
          return undefined;
        case 'fail':
          await job.progress.fail(verdict.error);
          return undefined;
      }
    }
  }
}

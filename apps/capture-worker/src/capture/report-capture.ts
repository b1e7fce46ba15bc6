import type { CaptureResult } from './policy-capture.service.js';
import type { RunProgress } from '@policyvault/worker-runtime';

/** The run item of one policy: keyed by our inventory id, so a redelivery reports the same item. */
export const policyItemKey = (policyId: string) => `policy:${policyId}`;

/** The run item of a whole policy type (inventory sync; a type a backup could not list or does not know). */
export const typeItemKey = (policyType: string) => `type:${policyType}`;

export async function reportCaptureResult(progress: RunProgress, result: CaptureResult, extra: Record<string, unknown> = {}): Promise<void> {
  const { policy } = result.target;
  const key = policyItemKey(policy.id);
  switch (result.kind) {
    case 'captured':
      await progress.succeeded(key, result.displayName, result.version.outcome, {
        policyId: policy.id,
        policyType: policy.policyType,
        versionId: result.version.versionId,
        contentHash: result.version.contentHash,
        ...extra,
      });
      return;
    case 'failed':
      await progress.failed(key, policy.displayName, result.error);
      return;
    case 'unsupported':
      await progress.skipped(key, policy.displayName, 'unsupported', result.error);
      return;
  }
}

/** A chunk's results reported together (the run's event publisher sends items reported at once in one event). */
export async function reportCaptureResults(progress: RunProgress, results: CaptureResult[]): Promise<void> {
  await Promise.all(results.map((result) => reportCaptureResult(progress, result)));
}

import { RunItemStatus, SafeErrorCode, type SafeError } from '@policyvault/contracts';
import type { ItemReport } from '@policyvault/platform';
import { backupItemKey } from './run-progress.js';

/** A selected backup item the set does not hold (another set's item, or removed by retention). */
export function notInSetReport(backupItemId: string): ItemReport {
  return {
    itemKey: backupItemKey(backupItemId),
    status: RunItemStatus.Failed,
    outcome: 'failed',
    error: { code: SafeErrorCode.NotFound, message: 'The backup item is not in this backup set.' },
  };
}

export function unsupportedError(policyType: string): SafeError {
  return { code: SafeErrorCode.UnsupportedPolicyType, message: 'This policy type is not supported.', context: { policyType: policyType.slice(0, 100) } };
}

/**
 * Runs `task` over `items` with at most `limit` at once; `shouldStop` is asked before each item, and
 * once it says stop (cancel, shutdown) or a task fails, no new item starts. The first error is rethrown.
 */
export async function forEachUntilStopped<T>(items: readonly T[], limit: number, shouldStop: () => Promise<boolean>, task: (item: T) => Promise<void>): Promise<boolean> {
  let next = 0;
  let stopped = false;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure && !stopped && next < items.length) {
      try {
        if (await shouldStop()) {
          stopped = true;
          return;
        }
        const item = items[next++];
        await task(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure) throw failure.error;
  return stopped;
}

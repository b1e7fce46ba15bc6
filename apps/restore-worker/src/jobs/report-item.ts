import { RunItemStatus, SafeErrorCode, type SafeError } from '@policyvault/contracts';
import type { ItemReport } from '@policyvault/platform';

/** The run item of one backup item: keyed by its id, so a redelivery reports the same item. */
export const backupItemKey = (backupItemId: string) => `backup-item:${backupItemId}`;

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

// The restore wizard's logic, apart from its components: which step the URL is at, which backup items
// are picked, where the restore goes and what the typed confirmation must be. What must survive a reload
// is in the URL (the target tenant and the runs started); the selection before the preview is not: the
// preview run keeps it as its scope, and the live restore is started with exactly that target and scope.
import type { BackupItemView, RestoreAction, RunStatusValue, Tenant } from '../api/contracts';
import { isActiveStatus } from '../live/active-runs.reducer';
import { may } from '../api/roles';

export interface RestoreWizardSearch {
  /** The tenant restored into (absent: the backup set's own). */
  target?: string;
  /** The restore.preview run. */
  preview?: string;
  /** The preview was accepted: the confirmation step. */
  confirm?: boolean;
  /** The restore.execute run. */
  restore?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuid = (value: unknown) => (typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : undefined);

export function validateRestoreWizardSearch(search: Record<string, unknown>): RestoreWizardSearch {
  const preview = uuid(search.preview);
  const restore = preview ? uuid(search.restore) : undefined;
  return {
    target: uuid(search.target),
    preview,
    confirm: preview !== undefined && (search.confirm === true || search.confirm === 'true') ? true : undefined,
    restore,
  };
}

export const RESTORE_STEPS = ['Choose', 'Preview', 'Confirm', 'Restore'] as const;
/** Stepper index past the last step: the restore has ended and its results show. */
export const RESTORE_DONE = RESTORE_STEPS.length;

/** The step the URL is at; the restore's own run decides whether it is done. */
export function wizardStep(search: RestoreWizardSearch, restoreRun?: { status: RunStatusValue }): number {
  if (search.restore) return restoreRun && !isActiveStatus(restoreRun.status) ? RESTORE_DONE : 3;
  if (search.preview && search.confirm) return 2;
  if (search.preview) return 1;
  return 0;
}

/** Going back to an earlier step forgets what came after it; nothing goes back once the restore runs. */
export function searchForStep(search: RestoreWizardSearch, step: number): RestoreWizardSearch {
  if (search.restore) return search;
  if (step <= 0) return { target: search.target };
  if (step === 1) return { target: search.target, preview: search.preview };
  return search;
}

/** Items whose name or policy type contains every word of the search (case-insensitive). */
export function filterBackupItems(items: BackupItemView[], search: string): BackupItemView[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return items;
  return items.filter((item) => {
    const text = `${item.displayName} ${item.policyType}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

export type ItemSelection = { mode: 'all' } | { mode: 'pick'; ids: string[] };

/** The restore scope for a selection: no item ids means every item of the set. */
export function restoreScope(selection: ItemSelection): { backupItemIds?: string[] } {
  return selection.mode === 'all' ? {} : { backupItemIds: [...selection.ids] };
}

export function selectionIsEmpty(selection: ItemSelection): boolean {
  return selection.mode === 'pick' && selection.ids.length === 0;
}

/** The backup set's tenant is the source; a restore into another tenant names it (cross-tenant). */
export function restoreTarget(backupSetId: string, sourceTenantId: string, targetTenantId: string): { backupSetId: string; sourceTenantId?: string } {
  return sourceTenantId === targetTenantId ? { backupSetId } : { backupSetId, sourceTenantId };
}

/** The tenants a preview may go to: those where the user may start one (the same role it needs in the source). */
export function restoreTargetTenants(tenants: Tenant[]): Tenant[] {
  return tenants.filter((tenant) => may(tenant.role, 'restore.preview'));
}

/** As the gateway compares the typed-back name: surrounding white space trimmed, NFC, case-sensitive. */
export function confirmationMatches(typed: string, tenantName: string): boolean {
  return typed.trim().normalize('NFC') === tenantName.trim().normalize('NFC');
}

export const RESTORE_ACTION_LABELS: Record<RestoreAction, string> = {
  create: 'create',
  update: 'update',
  no_change: 'no change',
  ambiguous: 'ambiguous',
  skipped: 'skipped',
};

// Filled badges with AA contrast (white text; black on yellow through autoContrast).
export const RESTORE_ACTION_COLORS: Record<RestoreAction, string> = {
  create: 'teal.9',
  update: 'blue.8',
  no_change: 'gray.7',
  ambiguous: 'yellow.4',
  skipped: 'dark.6',
};

const ACTION_ORDER: Record<RestoreAction, number> = { ambiguous: 0, create: 1, update: 2, skipped: 3, no_change: 4 };

/** What needs a look first: ambiguous, then writes, then skipped, then unchanged; by name within each. */
export function sortPreviewItems<T extends { action: RestoreAction; displayName: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => ACTION_ORDER[a.action] - ACTION_ORDER[b.action] || a.displayName.localeCompare(b.displayName));
}

/** A reason code as words: `assignments_not_mappable` → "assignments not mappable". */
export function reasonText(code: string): string {
  return code.replaceAll('_', ' ');
}

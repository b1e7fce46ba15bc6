import type { MinimumRoleToStart, RunItemStatusValue, RunStatusValue, RunType, RunTypeValue, TenantRoleValue } from '../api/contracts';
import { Role } from '../api/roles';

// Records over the contract's enum values: a new run type or status fails the type check until it has a label.
export const RUN_TYPE_LABELS: Record<RunTypeValue, string> = {
  'inventory.sync': 'Inventory sync',
  'policy.capture_snapshot': 'Policy capture',
  'backup_set.create': 'Backup set',
  'backup_set.add_policies': 'Add to backup set',
  'restore.preview': 'Restore preview',
  'restore.execute': 'Restore',
  'backup_schedule.run': 'Scheduled backup',
  'tenant.verify_access': 'Access check',
  'drift.check': 'Drift check',
};

// Shades chosen for WCAG AA contrast of filled badges (white text, black on yellow through autoContrast).
export const RUN_STATUS_COLORS: Record<RunStatusValue, string> = {
  queued: 'gray.7',
  running: 'blue.8',
  succeeded: 'teal.9',
  partial: 'yellow.4',
  failed: 'red.9',
  canceled: 'dark.6',
};

export const RUN_ITEM_STATUS_COLORS: Record<RunItemStatusValue, string> = { succeeded: 'teal.9', failed: 'red.9', skipped: 'gray.7' };

const ROLE_RANK: Record<TenantRoleValue, number> = { reader: 1, operator: 2, owner: 3 };

/** The client-side mirror of the contract's roleAtLeast, to hide actions the gateway would refuse. */
export function roleAtLeast(role: TenantRoleValue, minimum: TenantRoleValue): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[minimum];
}

/**
 * Who may start each run type: the registry's minimumRole (libs/contracts), checked at compile time, so a
 * change there fails the type check here until the UI agrees. Only to hide what the gateway would refuse.
 */
export const MINIMUM_ROLE_TO_START: { [T in RunType as `${T}`]: MinimumRoleToStart<T> } = {
  'inventory.sync': Role.Operator,
  'policy.capture_snapshot': Role.Operator,
  'backup_set.create': Role.Operator,
  'backup_set.add_policies': Role.Operator,
  'restore.preview': Role.Operator,
  'restore.execute': Role.Owner,
  'backup_schedule.run': Role.Owner,
  'tenant.verify_access': Role.Owner,
  'drift.check': Role.Operator,
};

export function mayStartRun(role: TenantRoleValue, type: RunTypeValue): boolean {
  return roleAtLeast(role, MINIMUM_ROLE_TO_START[type]);
}

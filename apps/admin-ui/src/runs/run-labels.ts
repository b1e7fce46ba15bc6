import type { RunItemStatusValue, RunStatusValue, RunTypeValue } from '../api/contracts';

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
  'backup_set.import': 'Backup set import',
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

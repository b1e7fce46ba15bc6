import { RunType, type FleetSort } from '@policyvault/contracts';

/** The run types whose outcomes the fleet overview reads. */
export const FLEET_RUN_KINDS = {
  accessCheck: RunType.TenantVerifyAccess as string,
  driftCheck: RunType.DriftCheck as string,
  /** A successful backup is a succeeded run of one of these; its summary carries the backup set id. */
  backups: [RunType.BackupSetCreate, RunType.BackupScheduleRun] as string[],
};

// Worst health first: the order an operator works through.
const HEALTH_RANK = `CASE health WHEN 'unreachable' THEN 0 WHEN 'no_consent' THEN 1 WHEN 'missing_permissions' THEN 2 WHEN 'ok' THEN 4 ELSE 3 END`;

/** Each fleet order as SQL over the statement's columns; `-` is the exact reverse. Never built from caller text. */
export const FLEET_ORDER_SQL: Readonly<Record<FleetSort, string>> = {
  name: 'ord ASC',
  '-name': 'ord DESC',
  lastBackupAt: 'backup_at ASC NULLS FIRST',
  '-lastBackupAt': 'backup_at DESC NULLS LAST',
  health: `${HEALTH_RANK} ASC`,
  '-health': `${HEALTH_RANK} DESC`,
  lastFailedAt: 'failed_at DESC NULLS LAST',
  '-lastFailedAt': 'failed_at ASC NULLS FIRST',
};

import { TenantRole } from '../tenant-role.js';

export enum RunType {
  InventorySync = 'inventory.sync',
  PolicyCaptureSnapshot = 'policy.capture_snapshot',
  BackupSetCreate = 'backup_set.create',
  BackupSetAddPolicies = 'backup_set.add_policies',
  RestorePreview = 'restore.preview',
  RestoreExecute = 'restore.execute',
  BackupScheduleRun = 'backup_schedule.run',
}

export const RUN_TYPES: readonly RunType[] = Object.values(RunType);

/** The lowest tenant role that may start a run of this type. */
export const RUN_TYPE_MINIMUM_ROLE: Record<RunType, TenantRole> = {
  [RunType.InventorySync]: TenantRole.Operator,
  [RunType.PolicyCaptureSnapshot]: TenantRole.Operator,
  [RunType.BackupSetCreate]: TenantRole.Operator,
  [RunType.BackupSetAddPolicies]: TenantRole.Operator,
  [RunType.RestorePreview]: TenantRole.Operator,
  [RunType.RestoreExecute]: TenantRole.Owner,
  [RunType.BackupScheduleRun]: TenantRole.Owner,
};

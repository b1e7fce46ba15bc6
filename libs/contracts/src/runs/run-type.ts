export enum RunType {
  InventorySync = 'inventory.sync',
  PolicyCaptureSnapshot = 'policy.capture_snapshot',
  BackupSetCreate = 'backup_set.create',
  BackupSetAddPolicies = 'backup_set.add_policies',
  RestorePreview = 'restore.preview',
  RestoreExecute = 'restore.execute',
  BackupScheduleRun = 'backup_schedule.run',
  TenantVerifyAccess = 'tenant.verify_access',
  DriftCheck = 'drift.check',
  BackupSetImport = 'backup_set.import',
}

export const RUN_TYPES: readonly RunType[] = Object.values(RunType);


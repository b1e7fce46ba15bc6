// The wire types come from libs/contracts (type-only imports: nothing of the lib is bundled). The contracts
// declare string enums; the UI works with their values, `${Enum}` turns an enum into the union of its values.
import type {
  AuditEventView,
  BackupExportSecretMode,
  BackupItemView,
  BackupScheduleFields,
  BackupSchedulePreview,
  BackupScheduleView,
  BackupSetStatus,
  DayOfWeek,
  BackupSetView,
  FieldDifference,
  NotificationPage,
  NotificationView,
  Page,
  PolicyView,
  RunItemStatus,
  RunItemView,
  RunStatus,
  RunStatusEvent,
  RunType,
  RunView,
  SafeError,
  ScheduleAction,
  ScheduleFrequency,
  ScheduleRunView,
  ScheduleSlotStatus,
  TenantRole,
} from '@policyvault/contracts';

export type { AuditEventView, BackupExportSecretMode, BackupItemView, BackupSetView, FieldDifference, PolicyView, NotificationPage, NotificationView, Page, RunItemView, RunStatusEvent, RunView, SafeError };
export type { BackupScheduleFields, BackupSchedulePreview, BackupScheduleView, DayOfWeek, ScheduleAction, ScheduleFrequency, ScheduleRunView, ScheduleSlotStatus };
export type RunStatusValue = `${RunStatus}`;
export type RunTypeValue = `${RunType}`;
export type RunItemStatusValue = `${RunItemStatus}`;
export type TenantRoleValue = `${TenantRole}`;
export type BackupSetStatusValue = BackupSetStatus;

/** GET /api/tenants (the gateway's TenantResponse). */
export interface Tenant {
  id: string;
  displayName: string;
  directoryId: string;
  role: TenantRoleValue;
}

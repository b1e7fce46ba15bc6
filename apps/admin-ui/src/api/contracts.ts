// The wire types come from libs/contracts (type-only imports: nothing of the lib is bundled). The contracts
// declare string enums; the UI works with their values, `${Enum}` turns an enum into the union of its values.
import type {
  AuditEventView,
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
  PolicyVersionComparison,
  PolicyVersionSummary,
  PolicyVersionView,
  PolicyView,
  RestoreAction,
  RestorePreviewItemView,
  RestorePreviewPage,
  RunItemStatus,
  RunItemView,
  RunStatus,
  RunStatusEvent,
  RunType,
  RunTypesRegistry,
  RunView,
  SafeError,
  ScheduleAction,
  ScheduleFrequency,
  ScheduleRunView,
  ScheduleSlotStatus,
  TenantRole,
  UnmappedReferenceView,
} from '@policyvault/contracts';

export type { AuditEventView, BackupItemView, BackupSetView, FieldDifference, PolicyView, NotificationPage, NotificationView, Page, RunItemView, RunStatusEvent, RunView, SafeError };
export type { BackupScheduleFields, BackupSchedulePreview, BackupScheduleView, DayOfWeek, ScheduleAction, ScheduleFrequency, ScheduleRunView, ScheduleSlotStatus };
export type { PolicyVersionComparison, PolicyVersionSummary, PolicyVersionView, RestoreAction, RestorePreviewItemView, RestorePreviewPage, UnmappedReferenceView };
/** The lowest role that may start a run of type T, as the registry in libs/contracts says (a type: nothing of it is bundled). */
export type MinimumRoleToStart<T extends RunType> = `${RunTypesRegistry[T]['minimumRole']}`;
export type { RunType };
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

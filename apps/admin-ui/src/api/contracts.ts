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

export type { AuditEventView, BackupExportSecretMode, BackupItemView, BackupSetView, FieldDifference, PolicyView, NotificationPage, NotificationView, Page, RunItemView, RunStatusEvent, RunView, SafeError };
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

// The MSP operations (issue 12): fleet, tenant directory, members, drift. The gateway's answers are built from
// these contract views; the UI's interfaces below mirror the gateway's response classes that have no contract type.
import type {
  DirectoryRole,
  DriftItemStatus,
  DriftItemView,
  DriftReportPage,
  DriftReportView,
  FleetDriftFilter,
  FleetHealthFilter,
  FleetHealthView,
  FleetSort,
  FleetTenantRunStatus,
  TenantHealth,
} from '@policyvault/contracts';

export type { DriftItemStatus, DriftItemView, DriftReportPage, DriftReportView, FleetDriftFilter, FleetHealthFilter, FleetSort, TenantHealth };
export type DirectoryRoleValue = `${DirectoryRole}`;

/** GET /api/tenants/:id, and each item of GET /api/tenants. */
export interface TenantDetail extends Tenant {
  tags: string[];
  disabledAt: string | null;
  createdAt: string;
  health: FleetHealthView | null;
}

/** POST /api/tenants. */
export interface OnboardedTenant {
  tenant: TenantDetail;
  adminConsentUrl: string;
  accessCheckRun: RunView | null;
}

/** POST /api/tenants/bulk. */
export interface BulkOnboarding {
  created: number;
  failed: number;
  rows: { line: number; status: 'created' | 'error'; result?: OnboardedTenant; error?: { statusCode: number; message: string } }[];
}

/** GET /api/me. */
export interface Me {
  userId: string | null;
  email: string;
  displayName: string | null;
  directoryRole: DirectoryRoleValue | null;
  memberships: { tenantId: string; displayName: string; directoryId: string; role: TenantRoleValue; disabledAt: string | null }[];
}

/** GET /api/tenants/:id/members. */
export interface Member {
  userId: string;
  email: string;
  displayName: string | null;
  role: TenantRoleValue;
  addedAt: string;
}

/** One row of GET /api/fleet: what run-service knows of the tenant, with the gateway's directory fields. */
export interface FleetTenant extends FleetTenantRunStatus {
  displayName: string;
  directoryId: string;
  role: TenantRoleValue;
  tags: string[];
  disabled: boolean;
}

export interface FleetPage {
  items: FleetTenant[];
  total: number;
  nextCursor: string | null;
}

/** POST /api/fleet/runs. */
export interface FleetBatchCreated {
  id: string;
  type: RunTypeValue;
  createdAt: string;
  counts: { started: number; reused: number; rejected: number };
  items: { tenantId: string; outcome: 'started' | 'reused' | 'rejected'; runId: string | null; reasonCode: string | null; reason: string | null }[];
}

/** GET /api/fleet/batches/:id. */
export interface FleetBatch {
  id: string;
  type: RunTypeValue;
  createdAt: string;
  createdBy: { userId: string; email: string };
  tenants: number;
  counts: Record<RunStatusValue | 'rejected', number>;
  done: boolean;
  items: (FleetBatchCreated['items'][number] & { displayName: string; status: RunStatusValue | null; errorCode: string | null; finishedAt: string | null })[];
  nextCursor: string | null;
}

export type {
  CreatedNotificationEndpointView,
  NotificationDeliveryView,
  NotificationEndpointView,
  NotificationSubscriptionView,
  NotificationTestSendReply,
} from '@policyvault/contracts';
/** The channel kinds, event kinds and delivery states as the API spells them. */
export type NotificationChannelKindValue = 'webhook' | 'teams' | 'email';
export type NotificationEventKindValue = 'run.failed' | 'run.partial' | 'drift.found' | 'tenant.access_lost' | 'schedule.skipped' | 'schedule.failing';

// Every NATS subject and JetStream stream in one place (command subjects: one per run type, in
// runs/run-types.registry.ts). Subjects are versioned and dotted.
//
// A namespace (NATS_NAMESPACE, default "pv") prefixes every subject and stream so that several
// installations or test runs can share one NATS server without seeing each other's messages.
// Request/reply patterns are written here without it: the platform's NATS transport adds it.
import type { RunType } from './runs/run-type.js';
import { fromRunTypesRegistry, RUN_WORKER_COMMAND_PREFIXES, type RunWorker } from './runs/run-types.registry.js';

export const DEFAULT_NATS_NAMESPACE = 'pv';
export const NATS_NAMESPACE_PATTERN = /^[a-z][a-z0-9_]{0,47}$/;

/** Request/reply patterns served by run-service over core NATS (queue group "run-service"). */
export const RunRpc = {
  start: 'rpc.runs.start.v1',
  get: 'rpc.runs.get.v1',
  list: 'rpc.runs.list.v1',
  listItems: 'rpc.runs.items.list.v1',
  cancel: 'rpc.runs.cancel.v1',
  latestSummaries: 'rpc.runs.latest-summaries.v1',
  /** Per-tenant aggregates for the fleet overview, many tenants in one statement. */
  fleetStatus: 'rpc.runs.fleet-status.v1',
  /** The queued and running runs of many tenants (the live views' snapshot). */
  activeRuns: 'rpc.runs.active.v1',
  /** The statuses of many runs (a fleet batch's). */
  statuses: 'rpc.runs.statuses.v1',
  /** A tenant removed in the gateway: schedules paused, active runs canceled, retention clock started. */
  removeTenant: 'rpc.runs.remove-tenant.v1',
} as const;

/** The backup store's read API, served by capture-worker (queue group "capture-worker"). */
export const BackupStoreRpc = {
  listPolicies: 'rpc.backup.policies.list.v1',
  getPolicy: 'rpc.backup.policies.get.v1',
  listPolicyVersions: 'rpc.backup.policy-versions.list.v1',
  getPolicyVersion: 'rpc.backup.policy-versions.get.v1',
  listBackupSets: 'rpc.backup.backup-sets.list.v1',
  getBackupSet: 'rpc.backup.backup-sets.get.v1',
  listBackupItems: 'rpc.backup.backup-items.list.v1',
  /** A page of a set's items with their full snapshots and content hashes, secret values left out or encrypted (exports). */
  exportBackupItems: 'rpc.backup.backup-items.export.v1',
  /** A page of a set's items for its as-built documentation: by type and name, secret values masked, with the setting definitions they use. */
  documentBackupItems: 'rpc.backup.backup-items.documentation.v1',
  /** The tenant's newest backup set in one of the given statuses (drift baselines). */
  getLatestBackupSet: 'rpc.backup.backup-sets.latest.v1',
  /** Field-level differences between two stored versions of one policy. */
  comparePolicyVersions: 'rpc.backup.policy-versions.compare.v1',
} as const;

/** Backup schedules, owned by run-service (queue group "run-service"). */
export const BackupScheduleRpc = {
  create: 'rpc.schedules.create.v1',
  update: 'rpc.schedules.update.v1',
  delete: 'rpc.schedules.delete.v1',
  get: 'rpc.schedules.get.v1',
  list: 'rpc.schedules.list.v1',
  listRuns: 'rpc.schedules.runs.list.v1',
  /** The next run times of a draft schedule (the scheduler's own computation). */
  preview: 'rpc.schedules.preview.v1',
  /** Only answered when run-service runs with SCHEDULER_CLOCK=manual (tests, operations drills). */
  dispatch: 'rpc.schedules.dispatch.v1',
} as const;

/** Audit events, owned by run-service (queue group "run-service"). */
export const AuditRpc = {
  list: 'rpc.audit-events.list.v1',
} as const;

/** Restore previews, owned by the restore-worker (queue group "restore-worker"). */
export const RestoreRpc = {
  getPreview: 'rpc.restore.preview.get.v1',
} as const;

/** Drift reports, owned by the restore-worker (queue group "restore-worker"). */
export const DriftRpc = {
  listReports: 'rpc.restore.drift-reports.list.v1',
  getReport: 'rpc.restore.drift-reports.get.v1',
} as const;

/** The gateway's directory, for services that address people by tenant role (queue group "gateway"). */
export const DirectoryRpc = {
  tenantOwners: 'rpc.directory.tenant-owners.v1',
} as const;

/** The notifier's query API (queue group "notifier"). */
export const NotificationRpc = {
  list: 'rpc.notifications.list.v1',
  markRead: 'rpc.notifications.read.v1',
  markAllRead: 'rpc.notifications.read-all.v1',
  listEndpoints: 'rpc.notifications.endpoints.list.v1',
  createEndpoint: 'rpc.notifications.endpoints.create.v1',
  deleteEndpoint: 'rpc.notifications.endpoints.delete.v1',
  enableEndpoint: 'rpc.notifications.endpoints.enable.v1',
  testEndpoint: 'rpc.notifications.endpoints.test.v1',
  listSubscriptions: 'rpc.notifications.subscriptions.list.v1',
  createSubscription: 'rpc.notifications.subscriptions.create.v1',
  deleteSubscription: 'rpc.notifications.subscriptions.delete.v1',
  listDeliveries: 'rpc.notifications.deliveries.list.v1',
} as const;

/** @deprecated derived from RUN_TYPES_REGISTRY; lead removes after merge */
export const RUN_COMMAND_SUBJECTS: Record<RunType, string> = fromRunTypesRegistry((definition) => definition.subject);

export const WorkerEventSubjects = {
  runStarted: 'evt.worker.run-started.v1',
  itemFinished: 'evt.worker.item-finished.v1',
  runFinished: 'evt.worker.run-finished.v1',
} as const;
export type WorkerEventSubject = (typeof WorkerEventSubjects)[keyof typeof WorkerEventSubjects];

/**
 * A worker publishes each event under its own name (`evt.worker.run-started.v1.capture-worker`): NATS
 * authorization lets a worker publish under its name only, and run-service applies an event only to a
 * run whose type that worker owns (RUN_TYPES_REGISTRY), so one worker cannot end another's runs.
 */
export function workerEventSubject(event: WorkerEventSubject, worker: RunWorker): string {
  return `${event}.${worker}`;
}
/** An event of any worker (run-service's handlers; the worker is the subject's last token). */
export function workerEventOfEveryWorker(event: WorkerEventSubject): string {
  return `${event}.*`;
}

/** Run transitions (queued, running, terminal): what the notifier follows. */
export const RUN_STATUS_SUBJECT = 'evt.run.status.v1';
/** Run progress (counts while running): only live views follow it. */
export const RUN_PROGRESS_SUBJECT = 'evt.run.progress.v1';
/** A schedule slot skipped or a schedule failing N times in a row (`ScheduleAlertEvent`), kept on the run-status stream. */
export const SCHEDULE_ALERT_SUBJECT = 'evt.schedule.alert.v1';
/** A removed tenant's retention has passed: every service deletes its data (`TenantPurgeEvent`). */
export const TENANT_PURGE_SUBJECT = 'evt.tenant.purge.v1';
/** The purge events of every tenant, as each consumer's handler names them. */
export const TENANT_PURGE_OF_EVERY_TENANT = `${TENANT_PURGE_SUBJECT}.>`;

/** Names as they appear on the wire for one namespace. */
export interface JetStreamNames {
  namespace: string;
  /** JetStream Object Store bucket of uploaded import archives (stream `OBJ_<bucket>`): gateway writes, capture-worker reads and deletes. */
  importBucket: string;
  /** Work-queue stream of commands for the workers; each worker filters its own prefix. */
  commandStream: string;
  commandSubjects: string;
  captureCommandFilter: string;
  restoreCommandFilter: string;
  /** Work-queue stream of worker → run-service events. */
  workerEventStream: string;
  workerEventSubjects: string;
  /** Limits-retention stream of run status events for any number of readers (notifier, gateway). */
  runStatusStream: string;
  /** Everything the run-status stream holds: transitions and progress of every tenant. */
  runEventSubjects: string;
  /** Transitions of every tenant (the notifier's filter). */
  runStatusSubjects: string;
  /** One tenant's transitions. */
  runStatusSubject(tenantId: string): string;
  /** One tenant's progress events. */
  runProgressSubject(tenantId: string): string;
  /** One tenant's transitions and progress (a live view's single filter subject). */
  runEventsOfTenant(tenantId: string): string;
  /** Schedule alerts of every tenant (the notifier's schedule-alert filter; held by the run-status stream). */
  scheduleAlertSubjects: string;
  /** One tenant's schedule alerts. */
  scheduleAlertSubject(tenantId: string): string;
  /** Limits-retention stream of tenant lifecycle events (purges), read by every service holding tenant data. */
  tenantEventStream: string;
  tenantEventSubjects: string;
  /** Purge events of every tenant (each service's consumer filter). */
  tenantPurgeSubjects: string;
  tenantPurgeSubject(tenantId: string): string;
  subject(suffix: string): string;
}

export function jetStreamNames(namespace: string): JetStreamNames {
  if (!NATS_NAMESPACE_PATTERN.test(namespace)) {
    throw new Error(`NATS namespace "${namespace}" must match ${NATS_NAMESPACE_PATTERN}`);
  }
  const streamPrefix = namespace.toUpperCase();
  const subject = (suffix: string) => `${namespace}.${suffix}`;
  return {
    namespace,
    commandStream: `${streamPrefix}_COMMANDS`,
    commandSubjects: subject('cmd.>'),
    captureCommandFilter: subject(`${RUN_WORKER_COMMAND_PREFIXES['capture-worker']}>`),
    restoreCommandFilter: subject(`${RUN_WORKER_COMMAND_PREFIXES['restore-worker']}>`),
    workerEventStream: `${streamPrefix}_WORKER_EVENTS`,
    workerEventSubjects: subject('evt.worker.>'),
    runStatusStream: `${streamPrefix}_RUN_STATUS`,
    runEventSubjects: subject('evt.run.*.v1.>'),
    runStatusSubjects: subject(`${RUN_STATUS_SUBJECT}.>`),
    runStatusSubject: (tenantId: string) => subject(`${RUN_STATUS_SUBJECT}.${tenantId}`),
    runProgressSubject: (tenantId: string) => subject(`${RUN_PROGRESS_SUBJECT}.${tenantId}`),
    runEventsOfTenant: (tenantId: string) => subject(`evt.run.*.v1.${tenantId}`),
    scheduleAlertSubjects: subject(`${SCHEDULE_ALERT_SUBJECT}.>`),
    scheduleAlertSubject: (tenantId: string) => subject(`${SCHEDULE_ALERT_SUBJECT}.${tenantId}`),
    tenantEventStream: `${streamPrefix}_TENANT_EVENTS`,
    tenantEventSubjects: subject('evt.tenant.>'),
    tenantPurgeSubjects: subject(TENANT_PURGE_OF_EVERY_TENANT),
    tenantPurgeSubject: (tenantId: string) => subject(`${TENANT_PURGE_SUBJECT}.${tenantId}`),
    importBucket: `${streamPrefix}_IMPORTS`,
    subject,
  };
}

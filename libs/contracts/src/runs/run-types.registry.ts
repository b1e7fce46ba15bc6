// The one description of every run type. The gateway, run-service, the workers' command consumer and
// the notifier read what they need about a run type from here; a RunType without an entry does not
// compile (`satisfies Record<RunType, …>`), and e2e/src/repository/run-type-registry.spec.ts fails if
// an app keeps its own run-type map.
import { TenantRole } from '../tenant-role.js';
import {
  BackupScheduleRunScope,
  BackupScheduleSlotTarget,
  BackupSetImportTarget,
  BackupSetNameTarget,
  BackupSetTarget,
  DriftCheckTarget,
  EmptyScope,
  EmptyTarget,
  InventorySyncScope,
  PolicySelectionScope,
  PolicyTarget,
  RestoreScope,
  RestoreTarget,
} from './run-targets.js';
import { RUN_TYPES, RunType } from './run-type.js';

/** The services that execute runs; each consumes one slice of the command stream. */
export type RunWorker = 'capture-worker' | 'restore-worker';

/** Each worker's slice of the command stream (suffix after the namespace; its filter is `<prefix>>`). */
export const RUN_WORKER_COMMAND_PREFIXES: Readonly<Record<RunWorker, string>> = {
  'capture-worker': 'cmd.capture.',
  'restore-worker': 'cmd.restore.',
};

export interface RunTypeDefinition<Target extends object = object, Scope extends object = object> {
  /** What the run acts on (part of the de-duplication key as is). */
  target: new () => Target;
  /** What part of the target (hashed into the de-duplication key after normalisation). */
  scope: new () => Scope;
  /** The lowest tenant role that may start a run of this type. */
  minimumRole: TenantRole;
  /** Its command subject (suffix after the namespace), under its worker's prefix. */
  subject: string;
  worker: RunWorker;
  /** Writes into a customer's tenant: such a run starts only with an explicit confirmation. */
  writesToGraph: boolean;
  /** Started by its schedule only; a hand-made start is refused. */
  startedBySchedule: boolean;
  /** Leaves an audit event when it ends. */
  audited: boolean;
  /** How people call it (notification titles). */
  label: string;
  /**
   * May be started for many tenants at once (`POST /api/fleet/runs`): its target and scope mean the
   * same in every tenant (no tenant-specific ids needed). Absent means no.
   */
  fleetStartable?: boolean;
}

export const RUN_TYPES_REGISTRY = {
  [RunType.InventorySync]: {
    target: EmptyTarget,
    scope: InventorySyncScope,
    minimumRole: TenantRole.Operator,
    subject: 'cmd.capture.inventory-sync.v1',
    worker: 'capture-worker',
    writesToGraph: false,
    startedBySchedule: false,
    audited: false,
    label: 'Inventory sync',
    fleetStartable: true,
  },
  [RunType.PolicyCaptureSnapshot]: {
    target: PolicyTarget,
    scope: EmptyScope,
    minimumRole: TenantRole.Operator,
    subject: 'cmd.capture.policy-snapshot.v1',
    worker: 'capture-worker',
    writesToGraph: false,
    startedBySchedule: false,
    audited: false,
    label: 'Policy snapshot capture',
  },
  [RunType.BackupSetCreate]: {
    target: BackupSetNameTarget,
    scope: PolicySelectionScope,
    minimumRole: TenantRole.Operator,
    subject: 'cmd.capture.backup-set-create.v1',
    worker: 'capture-worker',
    writesToGraph: false,
    startedBySchedule: false,
    audited: false,
    label: 'Backup set capture',
    fleetStartable: true,
  },
  [RunType.BackupSetAddPolicies]: {
    target: BackupSetTarget,
    scope: PolicySelectionScope,
    minimumRole: TenantRole.Operator,
    subject: 'cmd.capture.backup-set-add-policies.v1',
    worker: 'capture-worker',
    writesToGraph: false,
    startedBySchedule: false,
    audited: false,
    label: 'Adding policies to a backup set',
  },
  [RunType.RestorePreview]: {
    target: RestoreTarget,
    scope: RestoreScope,
    minimumRole: TenantRole.Operator,
    subject: 'cmd.restore.preview.v1',
    worker: 'restore-worker',
    writesToGraph: false,
    startedBySchedule: false,
    audited: false,
    label: 'Restore preview',
  },
  [RunType.RestoreExecute]: {
    target: RestoreTarget,
    scope: RestoreScope,
    minimumRole: TenantRole.Owner,
    subject: 'cmd.restore.execute.v1',
    worker: 'restore-worker',
    writesToGraph: true,
    startedBySchedule: false,
    audited: true,
    label: 'Restore',
  },
  [RunType.BackupScheduleRun]: {
    target: BackupScheduleSlotTarget,
    scope: BackupScheduleRunScope,
    minimumRole: TenantRole.Owner,
    subject: 'cmd.capture.backup-schedule-run.v1',
    worker: 'capture-worker',
    writesToGraph: false,
    startedBySchedule: true,
    audited: true,
    label: 'Scheduled backup',
  },
  [RunType.TenantVerifyAccess]: {
    target: EmptyTarget,
    scope: EmptyScope,
    minimumRole: TenantRole.Owner,
    subject: 'cmd.capture.tenant-verify-access.v1',
    worker: 'capture-worker',
    writesToGraph: false,
    startedBySchedule: false,
    audited: false,
    fleetStartable: true,
    label: 'Access check',
  },
  [RunType.DriftCheck]: {
    target: DriftCheckTarget,
    scope: EmptyScope,
    minimumRole: TenantRole.Operator,
    subject: 'cmd.restore.drift-check.v1',
    worker: 'restore-worker',
    writesToGraph: false,
    startedBySchedule: false,
    audited: false,
    fleetStartable: true,
    label: 'Drift check',
  },
  [RunType.BackupSetImport]: {
    target: BackupSetImportTarget,
    scope: EmptyScope,
    minimumRole: TenantRole.Operator,
    subject: 'cmd.capture.backup-set-import.v1',
    worker: 'capture-worker',
    writesToGraph: false,
    startedBySchedule: false,
    audited: false,
    label: 'Backup set import',
  },
} as const satisfies Record<RunType, RunTypeDefinition>;

export type RunTypesRegistry = typeof RUN_TYPES_REGISTRY;
/** The validated target of a run of type T (`RestoreTarget` for restore.execute). */
export type RunTargetOf<T extends RunType> = InstanceType<RunTypesRegistry[T]['target']>;
/** The validated scope of a run of type T. */
export type RunScopeOf<T extends RunType> = InstanceType<RunTypesRegistry[T]['scope']>;

export function runTypeDefinition(type: RunType): RunTypeDefinition {
  return RUN_TYPES_REGISTRY[type];
}

/** The run types that may be started for many tenants at once (POST /api/fleet/runs). */
export function fleetStartableRunTypes(): RunType[] {
  return RUN_TYPES.filter((type) => runTypeDefinition(type).fleetStartable === true);
}

/** The run types whose commands the worker consumes: what its command consumer must have handlers for. */
export function runTypesOfWorker(worker: RunWorker): RunType[] {
  return RUN_TYPES.filter((type) => RUN_TYPES_REGISTRY[type].worker === worker);
}

/** The worker whose slice of the command stream a filter subject is; `subject` adds the namespace. */
export function workerOfCommandFilter(filterSubject: string, subject: (suffix: string) => string): RunWorker | undefined {
  return (Object.keys(RUN_WORKER_COMMAND_PREFIXES) as RunWorker[]).find(
    (worker) => subject(`${RUN_WORKER_COMMAND_PREFIXES[worker]}>`) === filterSubject,
  );
}

/** A run-type → value map read off the registry (for subjects.ts). */
export function fromRunTypesRegistry<V>(pick: (definition: RunTypeDefinition) => V): Record<RunType, V> {
  return Object.fromEntries(RUN_TYPES.map((type) => [type, pick(RUN_TYPES_REGISTRY[type])])) as Record<RunType, V>;
}

import type { DirectoryRoleValue, MinimumRoleToStart, RunType, RunTypeValue, TenantRoleValue } from './contracts';

/**
 * TenantRole's values for the browser: the UI imports only types from libs/contracts, so this is its one copy
 * (the repository's role-literal check allows it here and nowhere else in the UI); `satisfies` keeps it in step.
 */
export const Role = { Reader: 'reader', Operator: 'operator', Owner: 'owner' } as const satisfies Record<string, TenantRoleValue>;

/** DirectoryRole's value: an MSP administrator (every tenant as owner; onboards and removes tenants). */
export const DirectoryRoleValues = { Admin: 'admin' } as const satisfies Record<string, DirectoryRoleValue>;

/** The tenant roles to choose from, least first, as people read them. */
export const ROLE_OPTIONS: { value: TenantRoleValue; label: string }[] = [
  { value: Role.Reader, label: 'Reader' },
  { value: Role.Operator, label: 'Operator' },
  { value: Role.Owner, label: 'Owner' },
];

// What a role may do in the UI is decided here and only here (`may`), to offer only what the gateway would allow;
// the gateway decides again on every request.

const ROLE_RANK: Record<TenantRoleValue, number> = { [Role.Reader]: 1, [Role.Operator]: 2, [Role.Owner]: 3 };

/** The client-side mirror of the contract's roleAtLeast. */
function roleAtLeast(role: TenantRoleValue, minimum: TenantRoleValue): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[minimum];
}

/**
 * Who may start each run type: the registry's minimumRole (libs/contracts), checked at compile time, so a
 * change there fails the type check here until the UI agrees.
 */
const MINIMUM_ROLE_TO_START: { [T in RunType as `${T}`]: MinimumRoleToStart<T> } = {
  'inventory.sync': Role.Operator,
  'policy.capture_snapshot': Role.Operator,
  'backup_set.create': Role.Operator,
  'backup_set.add_policies': Role.Operator,
  'restore.preview': Role.Operator,
  'restore.execute': Role.Owner,
  'backup_schedule.run': Role.Owner,
  'tenant.verify_access': Role.Owner,
  'drift.check': Role.Operator,
  'backup_set.import': Role.Operator,
};

/** The services' rules besides starting runs (requireRole in apps/gateway, the cancel rule in apps/run-service). */
const MINIMUM_ROLE_FOR = {
  /** Create, change, pause and delete backup schedules (every member reads them). */
  schedules: Role.Owner,
  /** Read the tenant's audit events. */
  'audit-log': Role.Owner,
  /** The tenant's settings: name, tags, access check, members. */
  tenant: Role.Owner,
  /** Cancel an active run one started (run-service's cancel rule). */
  'cancel-own-run': Role.Operator,
  /** Cancel anyone's active run. */
  'cancel-any-run': Role.Owner,
} as const satisfies Record<string, TenantRoleValue>;

/** Something a role may or may not do in a tenant: start a run of a type, or one of the other actions. */
export type TenantAction = RunTypeValue | keyof typeof MINIMUM_ROLE_FOR;

const MINIMUM_ROLE: Record<TenantAction, TenantRoleValue> = { ...MINIMUM_ROLE_TO_START, ...MINIMUM_ROLE_FOR };

/** Whether a member with this role (none while it is unknown) may do this in the tenant. */
export function may(role: TenantRoleValue | undefined, action: TenantAction): boolean {
  return role !== undefined && roleAtLeast(role, MINIMUM_ROLE[action]);
}

/** An MSP administrator: onboards and removes tenants, sees the fleet with any number of tenants. */
export function isDirectoryAdmin(directoryRole: DirectoryRoleValue | null | undefined): boolean {
  return directoryRole === DirectoryRoleValues.Admin;
}

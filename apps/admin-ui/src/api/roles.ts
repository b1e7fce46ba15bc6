import type { DirectoryRoleValue, TenantRoleValue } from './contracts';

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

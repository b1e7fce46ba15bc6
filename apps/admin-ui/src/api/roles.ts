import type { TenantRoleValue } from './contracts';

/**
 * TenantRole's values for the browser: the UI imports only types from libs/contracts, so this is its one copy
 * (the repository's role-literal check allows it here and nowhere else in the UI); `satisfies` keeps it in step.
 */
export const Role = { Reader: 'reader', Operator: 'operator', Owner: 'owner' } as const satisfies Record<string, TenantRoleValue>;

export enum TenantRole {
  Reader = 'reader',
  Operator = 'operator',
  Owner = 'owner',
}

const roleRank: Record<TenantRole, number> = {
  [TenantRole.Reader]: 1,
  [TenantRole.Operator]: 2,
  [TenantRole.Owner]: 3,
};

export function roleAtLeast(role: TenantRole, minimum: TenantRole): boolean {
  return roleRank[role] >= roleRank[minimum];
}

/**
 * A role across the whole directory, not of one tenant (gateway `users.directory_role`). An MSP
 * administrator adds and removes tenants, manages anyone's membership, sees every tenant and passes
 * every tenant role check as an owner would.
 */
export enum DirectoryRole {
  Admin = 'admin',
}

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

// The tenants this browser switched to last (most recent first), shown first in the tenant switcher.
const KEY = 'policyvault.recent-tenants';
const KEEP = 5;

export function readRecentTenants(): string[] {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string').slice(0, KEEP) : [];
  } catch {
    return [];
  }
}

export function rememberTenant(tenantId: string): void {
  localStorage.setItem(KEY, JSON.stringify([tenantId, ...readRecentTenants().filter((id) => id !== tenantId)].slice(0, KEEP)));
}

/** Select groups: recent tenants first (that still exist), then the rest by name; no tenant twice. */
export function tenantOptions(tenants: { id: string; displayName: string }[], recent: string[]) {
  const byId = new Map(tenants.map((tenant) => [tenant.id, tenant]));
  const recentTenants = recent.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  const recentIds = new Set(recentTenants.map((tenant) => tenant.id));
  const others = tenants.filter((tenant) => !recentIds.has(tenant.id)).sort((a, b) => a.displayName.localeCompare(b.displayName));
  const option = (tenant: { id: string; displayName: string }) => ({ value: tenant.id, label: tenant.displayName });
  return [
    ...(recentTenants.length > 0 ? [{ group: 'Recent', items: recentTenants.map(option) }] : []),
    ...(others.length > 0 ? [{ group: recentTenants.length > 0 ? 'All tenants' : 'Tenants', items: others.map(option) }] : []),
  ];
}

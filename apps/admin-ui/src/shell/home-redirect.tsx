import { Navigate } from '@tanstack/react-router';
import { EmptyState } from '../components/query-state';
import { useTenants } from '../runs/run-queries';
import { readRecentTenants } from './recent-tenants';

/** `/`: the most recent tenant that still exists, else the first one. */
export function HomeRedirect() {
  const tenants = useTenants();
  const items = tenants.data?.items ?? [];
  const recent = readRecentTenants().find((id) => items.some((tenant) => tenant.id === id));
  const tenantId = recent ?? items[0]?.id;
  if (tenantId) return <Navigate to="/tenants/$tenantId/runs" params={{ tenantId }} replace />;
  return <EmptyState title="No tenants yet">You are not a member of any tenant. Ask an owner to add you.</EmptyState>;
}

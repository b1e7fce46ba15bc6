import { getRouteApi, Outlet } from '@tanstack/react-router';
import { createContext, useContext } from 'react';
import type { Tenant } from '../api/contracts';
import { ForbiddenState } from '../components/query-state';
import { useTenants } from '../runs/run-queries';

const route = getRouteApi('/app/tenants/$tenantId');
const CurrentTenantContext = createContext<Tenant | null>(null);

/** The tenant of the URL and the user's role in it; pages below it may assume both. */
export function useCurrentTenant(): Tenant {
  const tenant = useContext(CurrentTenantContext);
  if (!tenant) throw new Error('useCurrentTenant outside a tenant page');
  return tenant;
}

export function TenantLayout() {
  const { tenantId } = route.useParams();
  const tenants = useTenants();
  const tenant = tenants.data?.items.find((candidate) => candidate.id === tenantId.toLowerCase());
  if (!tenant) return <ForbiddenState message="You are not a member of this tenant." />;
  return (
    <CurrentTenantContext.Provider value={tenant}>
      <Outlet />
    </CurrentTenantContext.Provider>
  );
}

import { Select } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useEffect } from 'react';
import type { Tenant } from '../api/contracts';
import { readRecentTenants, rememberTenant, tenantOptions } from './recent-tenants';

export function TenantSwitcher({ tenants, currentTenantId }: { tenants: Tenant[]; currentTenantId?: string }) {
  const navigate = useNavigate();
  useEffect(() => {
    if (currentTenantId && tenants.some((tenant) => tenant.id === currentTenantId)) rememberTenant(currentTenantId);
  }, [currentTenantId, tenants]);
  // Read on every render: rememberTenant (above) changes the order after each switch.
  const data = tenantOptions(tenants, readRecentTenants());
  return (
    <Select
      aria-label="Tenant"
      placeholder="Choose a tenant"
      searchable
      nothingFoundMessage="No tenant matches"
      data={data}
      value={currentTenantId ?? null}
      onChange={(tenantId) => tenantId && void navigate({ to: '/tenants/$tenantId/runs', params: { tenantId } })}
      allowDeselect={false}
      w={{ base: 150, sm: 240 }}
      comboboxProps={{ width: 260, position: 'bottom-start' }}
    />
  );
}

// The MSP pages' entries in the shell: the fleet (header) and a tenant's drift and settings (navigation).
import { Box } from '@mantine/core';
import { IconLayoutGrid } from '@tabler/icons-react';
import type { TenantRoleValue } from '../api/contracts';
import { may } from '../api/roles';
import { ButtonLink, NavigationLink } from '../components/links';
import { useIsAdmin } from '../tenants/tenant-queries';

/** The fleet dashboard, for users with more than one tenant and for MSP administrators. */
export function FleetLink({ tenantCount }: { tenantCount: number }) {
  const isAdmin = useIsAdmin();
  if (!isAdmin && tenantCount < 2) return null;
  return (
    <ButtonLink to="/fleet" variant="subtle" size="compact-md" aria-label="Fleet" px={6}>
      <IconLayoutGrid size={18} aria-hidden />
      <Box component="span" visibleFrom="md" ml={6}>
        Fleet
      </Box>
    </ButtonLink>
  );
}

export function TenantAdminLinks({ tenantId, role, onNavigate }: { tenantId: string; role?: TenantRoleValue; onNavigate: () => void }) {
  return (
    <>
      <NavigationLink to="/tenants/$tenantId/drift-reports" params={{ tenantId }} label="Drift" onClick={onNavigate} />
      {may(role, 'tenant') ? <NavigationLink to="/tenants/$tenantId/settings" params={{ tenantId }} label="Settings" onClick={onNavigate} /> : null}
    </>
  );
}

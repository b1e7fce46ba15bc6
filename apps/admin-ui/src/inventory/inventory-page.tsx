import { Badge, Stack, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import type { Page, PolicyView } from '../api/contracts';
import { api, queryString } from '../api/http';
import { queryKeys } from '../api/query-keys';
import { FilterRow } from '../components/filter-select';
import { formatDateTime } from '../components/format';
import { AnchorLink } from '../components/links';
import { PageHeader } from '../components/page-header';
import { PagedTable } from '../components/paged-table';
import { EmptyState } from '../components/query-state';
import { useCurrentTenant } from '../shell/tenant-layout';

export interface InventorySearch {
  policyType?: string;
  search?: string;
  cursor?: string;
}

const route = getRouteApi('/app/tenants/$tenantId/inventory');

/** The tenant's policies as the last inventory sync saw them; type and search in the URL. */
export function InventoryPage() {
  const tenant = useCurrentTenant();
  const filters = route.useSearch();
  const navigate = route.useNavigate();
  const policies = useQuery({
    queryKey: queryKeys.policies.list(tenant.id, filters),
    queryFn: ({ signal }) => api<Page<PolicyView>>(`/api/tenants/${tenant.id}/policies${queryString({ ...filters, limit: 50 })}`, { signal }),
  });
  const setFilter = useDebouncedCallback((changes: Partial<InventorySearch>) => void navigate({ search: (previous) => ({ ...previous, ...changes, cursor: undefined }) }), 300);

  return (
    <Stack>
      <PageHeader title="Inventory" />
      <FilterRow>
        <TextInput label="Search by name" defaultValue={filters.search ?? ''} onChange={(event) => setFilter({ search: event.currentTarget.value || undefined })} w={240} />
        <TextInput label="Policy type" placeholder="e.g. deviceConfiguration" defaultValue={filters.policyType ?? ''} onChange={(event) => setFilter({ policyType: event.currentTarget.value || undefined })} w={240} />
      </FilterRow>
      <PagedTable
        query={policies}
        empty={<EmptyState title="No policies">{filters.search || filters.policyType ? 'No policy matches these filters.' : 'Sync the inventory (Runs) to see the tenant’s policies.'}</EmptyState>}
        minWidth={640}
        rowKey={(policy) => policy.id}
        columns={[
          {
            header: 'Name',
            cell: (policy) => (
              <AnchorLink to="/tenants/$tenantId/inventory/$policyId" params={{ tenantId: tenant.id, policyId: policy.id }}>
                {policy.displayName}
              </AnchorLink>
            ),
          },
          { header: 'Type', cell: (policy) => policy.policyType },
          { header: 'Captured', cell: (policy) => (policy.latestVersionId ? 'yes' : 'not yet') },
          { header: 'Last seen', cell: (policy) => formatDateTime(policy.lastSeenAt) },
          { header: 'In Graph', cell: (policy) => (policy.missingSince ? <Badge color="red.9">missing</Badge> : <Badge color="teal.9">present</Badge>) },
        ]}
        cursor={filters.cursor}
        onCursor={(cursor) => void navigate({ search: (previous) => ({ ...previous, cursor }) })}
      />
    </Stack>
  );
}

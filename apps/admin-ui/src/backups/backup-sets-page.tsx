import { Badge, Group, Stack } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import { may } from '../api/roles';
import { NEWEST_FIRST_LABELS } from '../components/cursor-pager';
import { formatDateTime } from '../components/format';
import { AnchorLink } from '../components/links';
import { PageHeader } from '../components/page-header';
import { PagedTable } from '../components/paged-table';
import { EmptyState } from '../components/query-state';
import { useCurrentTenant } from '../shell/tenant-layout';
import { BACKUP_SET_STATUS_COLORS, useBackupSets } from './backup-queries';
import { CreateBackupSetButton } from './create-backup-set';
import { ImportBackupSetButton } from './import-backup-set';

const route = getRouteApi('/app/tenants/$tenantId/backup-sets');

export function BackupSetsPage() {
  const tenant = useCurrentTenant();
  const { cursor } = route.useSearch();
  const navigate = route.useNavigate();
  const sets = useBackupSets(tenant.id, cursor);
  return (
    <Stack>
      <PageHeader
        title="Backup sets"
        actions={
          may(tenant.role, 'backup_set.create') || may(tenant.role, 'backup_set.import') ? (
            <Group gap="sm">
              {may(tenant.role, 'backup_set.import') ? <ImportBackupSetButton tenantId={tenant.id} /> : null}
              {may(tenant.role, 'backup_set.create') ? <CreateBackupSetButton tenantId={tenant.id} /> : null}
            </Group>
          ) : null
        }
      />
      <PagedTable
        query={sets}
        empty={<EmptyState title="No backup sets">Create one to keep today's policies.</EmptyState>}
        rowKey={(set) => set.id}
        columns={[
          {
            header: 'Name',
            cell: (set) => (
              <AnchorLink to="/tenants/$tenantId/backup-sets/$setId" params={{ tenantId: tenant.id, setId: set.id }}>
                {set.name}
              </AnchorLink>
            ),
          },
          { header: 'Status', cell: (set) => <Badge color={BACKUP_SET_STATUS_COLORS[set.status]}>{set.status}</Badge> },
          { header: 'Items', cell: (set) => set.itemCount },
          { header: 'Created', cell: (set) => formatDateTime(set.createdAt) },
        ]}
        cursor={cursor}
        onCursor={(next) => void navigate({ search: { cursor: next } })}
        labels={NEWEST_FIRST_LABELS}
      />
    </Stack>
  );
}

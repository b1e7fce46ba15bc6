import { Badge, Button, Group, Stack, Title } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import { DataTable } from '../components/data-table';
import { formatDateTime } from '../components/format';
import { AnchorLink } from '../components/links';
import { EmptyState, QueryState } from '../components/query-state';
import { roleAtLeast } from '../runs/run-labels';
import { useCurrentTenant } from '../shell/tenant-layout';
import { BACKUP_SET_STATUS_COLORS, useBackupSets } from './backup-queries';
import { CreateBackupSetButton } from './create-backup-set';
import { Role } from '../api/roles';

const route = getRouteApi('/app/tenants/$tenantId/backup-sets');

export function BackupSetsPage() {
  const tenant = useCurrentTenant();
  const { cursor } = route.useSearch();
  const navigate = route.useNavigate();
  const sets = useBackupSets(tenant.id, cursor);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Backup sets
        </Title>
        {roleAtLeast(tenant.role, Role.Operator) ? <CreateBackupSetButton tenantId={tenant.id} /> : null}
      </Group>
      <QueryState query={sets} isEmpty={(page) => page.items.length === 0} empty={<EmptyState title="No backup sets">Create one to keep today's policies.</EmptyState>}>
        {(page) => (
          <>
            <DataTable
              rows={page.items}
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
            />
            <Group justify="end" gap="xs">
              {cursor ? (
                <Button variant="default" onClick={() => void navigate({ search: {} })}>
                  Newest
                </Button>
              ) : null}
              <Button variant="default" disabled={!page.nextCursor} onClick={() => void navigate({ search: { cursor: page.nextCursor ?? undefined } })}>
                Older
              </Button>
            </Group>
          </>
        )}
      </QueryState>
    </Stack>
  );
}
